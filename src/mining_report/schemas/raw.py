"""Pandera models of the raw tables, and the ranges and windows they are held to.

Raw models check a snapshot as published: strict columns, coerced types, ranges,
vocabularies, keys and table-level rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dc_field

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ..vocabularies import (
    CCAF_COUNTRIES,
    CCAF_COUNTRY_MONTHS,
    CCAF_PROVINCE_MONTHS,
    CCAF_PROVINCES,
    CLAIM_CHOICES,
    CONFIDENCE_LEVELS,
    DAILY_END,
    DAILY_START,
    DESTINATION_COUNTRIES,
    JURISDICTIONS,
    LATEST_POSSIBLE,
    MACHINE_FLOWS,
    MEASURES,
    PROVINCE_MISSING_MONTHS,
    PROVINCE_MONTH_EXCEPTIONS,
    QUOTE_MAX,
    SCOPES,
    STAGES,
    STATEMENT_TOPICS,
    STATEMENTS_START,
)
from .base import (
    CLAIM_REFERENCE,
    Model,
    coin_metrics_day,
    ehs,
    http_url,
    month_start,
    one_of,
    page_year,
    press_date,
    share_pct,
    table_check,
    text,
    text_id,
)

#: CCAF rounds shares to two decimals, so a month sums to 100 within a few hundredths.
SHARE_SUM_TOLERANCE = 0.05

#: A seed article's file name, as the press tables' notes cite it.
SEED_FILE = r"^[0-9]{3}_[0-9a-f]{16}\.txt$"

#: A publisher is an outlet's name: a seed's file name belongs in the notes, not here.
NO_SEED_FILE = r"^(?![\s\S]*[0-9]{3}_[0-9a-f]{16}\.txt)"

#: A corroborating source: a web link, or one of the project's seed articles.
SOURCE_REFERENCE = r"^(https?://[^\s<>\"']+|seed [0-9]{3}_[0-9a-f]{16}\.txt( \([^()]+\))?)$"


# Plausibility ranges. Each is set so that the real data passes with a wide margin
# and a slip of one order of magnitude (a digit too many or too few) does not. The
# daily Coin Metrics series can be refreshed to later years (`make refresh`), when
# the network and the price grow: there its ranges leave room for growth, and a
# slip is caught against the neighbouring days instead (MAX_DAY_TO_WEEK_RATIO).
#: Network hashrate, EH/s: Coin Metrics' daily series runs 57-267 EH/s in 2020-22; the
#: bound leaves room for the network to grow many times over.
NETWORK_EHS = {"ge": 20, "le": 5_000}
#: A country's monthly EH/s in CCAF: at most the whole network (CCAF's monthly totals
#: are 90-188 EH/s); China's peak is 91 EH/s.
COUNTRY_EHS = {"ge": 0, "le": 500}
#: BTC in USD: 4,959-67,542 in 2020-22; never below 1,000 since 2017; room above
#: for later years.
BTC_USD = {"ge": 1_000, "le": 2_000_000}
#: Mean daily difficulty: 1.3e13-3.1e13 in 2020-22; room above for later years.
DIFFICULTY = {"ge": 5e12, "le": 1e16}
#: Miners' revenue per day, USD: 7.0e6-7.8e7 in 2020-22.
MINER_REVENUE_USD = {"ge": 1e6, "le": 3e9}
#: A day's hash rate, price or issuance against the median of the week around it
#: (7 days, centred): the real 2020-22 series stays within 0.65-1.28 (the 58-block
#: day of 27 June 2021 is the lowest); a digit too many or too few is a factor of 10.
MAX_DAY_TO_WEEK_RATIO = 3.0
#: Blocks a day: 144 expected; 58-197 observed during the 2021 hashrate crash.
BLOCKS_PER_DAY = {"ge": 20, "le": 400}
#: Transaction fees a day, BTC: 5-303 observed.
FEES_BTC = {"ge": 0, "le": 2_000}
#: Newly issued BTC a day, in USD: 6.2e6-7.2e7 observed.
ISSUANCE_USD = {"ge": 1e6, "le": 3e9}
#: One ASIC's hashrate, TH/s: 4-156 for the models and listings of 2016-22.
ASIC_THS = {"ge": 1, "le": 1_000}
#: One ASIC's power draw, W: 1,027-6,300 for the listed models.
ASIC_WATTS = {"ge": 100, "le": 20_000}
#: Dealer asking price of one machine, USD: 250-17,155 in the listings.
ASIC_USD = {"ge": 50, "le": 50_000}
#: Asking price per TH/s, USD: 4.72-126.18 in the listings and index quotes.
ASIC_USD_PER_TH = {"ge": 1, "le": 500}
#: A count of machines in one press figure: the largest reported is 2 million (all of
#: China's exports); the whole network in 2021 (under 200 EH/s) was at most some 5
#: million machines, so a larger count is a slip.
MACHINE_COUNT_MAX = 5_000_000

#: CCAF's EH/s against Coin Metrics' network hashrate, month by month: the monthly
#: sums of CCAF's country EH/s match Coin Metrics' monthly mean within 0.02 %; a
#: disagreement over 1 % means one of the two snapshots is not what its sidecar says.
NETWORK_HASHRATE_TOLERANCE = 0.01
#: A country's share times the month's total EH/s against its EH/s: both are rounded
#: to two decimals, which puts them at most 0.015 EH/s apart in the real data.
SHARE_EHS_TOLERANCE = 0.05


def _all_source_references(text: str) -> bool:
    """True when every " ; "-separated item is a web link or a seed reference."""
    return not text or all(re.fullmatch(SOURCE_REFERENCE, item) for item in text.split(" ; "))


def _month_sums(df: pd.DataFrame, month: str, share: str) -> pd.Series:
    return df.groupby(month)[share].transform("sum")


class CbeciCountriesRaw(Model):
    """CCAF Bitcoin Mining Map: monthly share of global hashrate by country, as published."""

    date: Series[pd.Timestamp] = month_start(
        CCAF_COUNTRY_MONTHS[0], LATEST_POSSIBLE, description=None
    )
    country: Series[str] = one_of(CCAF_COUNTRIES)
    share_pct: Series[float] = share_pct()
    abs_hashrate_ehs: Series[float] = ehs(**COUNTRY_EHS)

    class Config:
        unique = ["date", "country"]

    @table_check("monthly_shares_sum_to_100", about="share_pct")
    def monthly_shares_sum_to_100(cls, df: pd.DataFrame) -> Series[bool]:
        return (_month_sums(df, "date", "share_pct") - 100).abs() <= SHARE_SUM_TOLERANCE

    @table_check("every_country_every_month", about="country")
    def every_country_every_month(cls, df: pd.DataFrame) -> Series[bool]:
        return df.groupby("date")["country"].transform("nunique") == len(CCAF_COUNTRIES)

    @table_check("share_matches_ehs_within_0.05_ehs", about="abs_hashrate_ehs")
    def share_matches_ehs(cls, df: pd.DataFrame) -> Series[bool]:
        implied = df["share_pct"] / 100 * df.groupby("date")["abs_hashrate_ehs"].transform("sum")
        return (implied - df["abs_hashrate_ehs"]).abs() <= SHARE_EHS_TOLERANCE


class CbeciProvincesRaw(Model):
    """CCAF Bitcoin Mining Map: monthly share of China's hashrate by province, as published."""

    date: Series[pd.Timestamp] = month_start(
        CCAF_PROVINCE_MONTHS[0], LATEST_POSSIBLE, description=None
    )
    province: Series[str] = one_of(CCAF_PROVINCES)
    share_of_china_pct: Series[float] = share_pct()

    class Config:
        unique = ["date", "province"]

    @table_check("monthly_shares_sum_to_100_or_documented_gap", about="share_of_china_pct")
    def monthly_shares_sum_to_100(cls, df: pd.DataFrame) -> Series[bool]:
        balanced = (_month_sums(df, "date", "share_of_china_pct") - 100).abs()
        documented = df["date"].dt.strftime("%Y-%m-%d").isin(list(PROVINCE_MONTH_EXCEPTIONS))
        return (balanced <= SHARE_SUM_TOLERANCE) | documented

    @table_check("every_province_every_month_or_documented_gap", about="province")
    def every_province_every_month(cls, df: pd.DataFrame) -> Series[bool]:
        complete = df.groupby("date")["province"].transform("nunique") == len(CCAF_PROVINCES)
        documented = df["date"].dt.strftime("%Y-%m-%d").isin(list(PROVINCE_MONTH_EXCEPTIONS))
        return complete | documented


class EventsRaw(Model):
    """Crackdown measures, one row each, compiled from press and official sources."""

    event_id: Series[str] = text_id("E")
    date_announced: Series[pd.Timestamp] = press_date()
    date_effective: Series[pd.Timestamp] = press_date()
    jurisdiction: Series[str] = one_of(JURISDICTIONS)
    authority: Series[str] = text(2)
    measure: Series[str] = one_of(MEASURES)
    scope: Series[str] = one_of(SCOPES)
    stage: Series[str] = one_of(STAGES)
    summary: Series[str] = text(10)
    source_title: Series[str] = text(2)
    source_publisher: Series[str] = text(2)
    source_url: Series[str] = http_url()
    source_date: Series[pd.Timestamp] = press_date()
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS)
    corroborating_sources: Series[str] = pa.Field(nullable=True)
    notes: Series[str] = text(2)

    @table_check("effective_on_or_after_announced", about="date_effective")
    def effective_on_or_after_announced(cls, df: pd.DataFrame) -> Series[bool]:
        both = df["date_announced"].notna() & df["date_effective"].notna()
        return ~both | (df["date_effective"] >= df["date_announced"])

    @pa.check("corroborating_sources", name="every_source_is_a_web_link_or_seed")
    def corroborating_links(cls, sources: Series[str]) -> Series[bool]:
        return sources.fillna("").map(_all_source_references)


class MachineFlowsRaw(Model):
    """Reported figures on mining machines leaving China or arriving elsewhere."""

    figure_id: Series[str] = text_id("M")
    date_reported: Series[pd.Timestamp] = press_date()
    metric: Series[str] = text(3)
    value: Series[str] = text(1)
    unit: Series[str] = text(1)
    entity: Series[str] = text(1)
    source_title: Series[str] = text(2)
    source_publisher: Series[str] = pa.Field(str_length={"min_value": 2}, str_matches=NO_SEED_FILE)
    source_author: Series[str] = text(2, nullable=True)
    source_url: Series[str] = http_url()
    source_date: Series[pd.Timestamp] = press_date()
    source_year: Series[pd.Int64Dtype] = page_year()
    relays: Series[str] = text(5, nullable=True)
    note: Series[str] = pa.Field(nullable=True)
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS)
    period: Series[str] = text(3, nullable=True)

    @table_check("a_page_is_dated_by_day_or_by_year", about="source_year")
    def dated_once(cls, df: pd.DataFrame) -> Series[bool]:
        return df["source_date"].isna() | df["source_year"].isna()

    @table_check("machine_counts_are_whole_and_0_to_5_million", about="value")
    def machine_counts(cls, df: pd.DataFrame) -> Series[bool]:
        counts = df["unit"].str.startswith("machines")
        number = pd.to_numeric(df["value"], errors="coerce")
        plausible = np.isfinite(number) & number.between(0, MACHINE_COUNT_MAX)
        whole = plausible & (number == number.round())
        # "205000 of 430000" is kept as the seed printed it; the conflict ledger explains it.
        pair = df["value"].str.extract(r"^([0-9]+) of ([0-9]+)$").astype(float)
        quoted_pair = pair.notna().all(axis=1) & (pair[1] <= MACHINE_COUNT_MAX)
        return ~counts | whole | quoted_pair


class MachineFlowEntitiesRaw(Model):
    """The project's reading of each machine count: destination, company and direction."""

    figure_id: Series[str] = text_id("M")
    destination_country: Series[str] = one_of(DESTINATION_COUNTRIES, nullable=True)
    company: Series[str] = text(2, nullable=True)
    flow: Series[str] = one_of(MACHINE_FLOWS)


class PublishedFiguresRaw(Model):
    """Published figures that a conflict or a derived table needs and no other raw table holds."""

    figure_id: Series[str] = text_id("P")
    date: Series[pd.Timestamp] = press_date()
    claim: Series[str] = text(10)
    value: Series[str] = text(1)
    unit: Series[str] = text(1)
    source_title: Series[str] = text(5)
    source_publisher: Series[str] = pa.Field(str_length={"min_value": 2}, str_matches=NO_SEED_FILE)
    # Empty only for a claim of a seed article whose address is unknown (seed 000).
    source_url: Series[str] = http_url(nullable=True)
    source_date: Series[pd.Timestamp] = press_date()
    source_year: Series[pd.Int64Dtype] = page_year()
    relays: Series[str] = text(5, nullable=True)
    note: Series[str] = text(2)
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS)

    @table_check("a_page_is_dated_by_day_or_by_year", about="source_year")
    def dated_once(cls, df: pd.DataFrame) -> Series[bool]:
        return df["source_date"].isna() | df["source_year"].isna()


class SeedArticlesRaw(Model):
    """The five seed articles the project started from, as identified: who published them, where."""

    seed_id: Series[str] = pa.Field(str_matches=r"^[0-9]{3}$", unique=True)
    seed_file: Series[str] = pa.Field(str_matches=SEED_FILE, unique=True)
    outlet: Series[str] = text(2, nullable=True)
    title: Series[str] = text(5, nullable=True)
    author: Series[str] = text(2, nullable=True)
    url: Series[str] = http_url(nullable=True)
    date_published: Series[pd.Timestamp] = press_date()
    date_written: Series[pd.Timestamp] = press_date()
    relays: Series[str] = text(5, nullable=True)
    identification: Series[str] = text(20)

    @table_check("an_identified_seed_has_outlet_and_address", about="seed_id")
    def identified(cls, df: pd.DataFrame) -> Series[bool]:
        # An unidentified seed says so; one with an outlet must say where it was found.
        return df["outlet"].isna() == df["url"].isna()


class SourceConflictsRaw(Model):
    """The conflict ledger: two claims by reference, which one the report uses, and why."""

    conflict_id: Series[str] = text_id("K")
    topic: Series[str] = text(5)
    claim_a: Series[str] = pa.Field(str_matches=CLAIM_REFERENCE)
    claim_b: Series[str] = pa.Field(str_matches=CLAIM_REFERENCE)
    used: Series[str] = one_of(CLAIM_CHOICES)
    why: Series[str] = text(20)

    @table_check("claims_differ", about="claim_b")
    def claims_differ(cls, df: pd.DataFrame) -> Series[bool]:
        return df["claim_a"] != df["claim_b"]


class SourceStatementsRaw(Model):
    """Statements the report quotes that are not figures, each with a short verbatim quote."""

    statement_id: Series[str] = text_id("S")
    topic: Series[str] = one_of(STATEMENT_TOPICS)
    statement: Series[str] = text(10)
    # A short quote, as a citation may carry: no longer than a long sentence.
    quote: Series[str] = pa.Field(str_length={"min_value": 10, "max_value": QUOTE_MAX})
    source_title: Series[str] = text(2)
    source_publisher: Series[str] = text(2)
    source_author: Series[str] = text(2, nullable=True)
    source_url: Series[str] = http_url()
    # A page may predate the crackdown: the map's launch coverage of 2020.
    source_date: Series[pd.Timestamp] = press_date(start=STATEMENTS_START)
    relays: Series[str] = text(5, nullable=True)
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS)


class BtcDailyRaw(Model):
    """Coin Metrics daily network data: price, hashrate, difficulty, miner revenue.

    Not a snapshot: computed from ``btc_daily_source_fields`` (``network.btc_daily``)
    and checked with this model before the price tables read it.
    """

    date: Series[pd.Timestamp] = coin_metrics_day(unique=True)
    price_usd: Series[float] = pa.Field(**BTC_USD)
    hashrate_ehs: Series[float] = ehs(**NETWORK_EHS)
    difficulty: Series[float] = pa.Field(**DIFFICULTY)
    miner_revenue_usd: Series[float] = pa.Field(**MINER_REVENUE_USD)

    @table_check("every_day_once_in_order", about="date")
    def every_day_once_in_order(cls, df: pd.DataFrame) -> Series[bool]:
        expected = pd.date_range(DAILY_START, periods=len(df), freq="D")
        return pd.Series(df["date"].to_numpy() == expected.to_numpy(), index=df.index)

    @pa.check("difficulty", name="whole_number")
    def whole_difficulty(cls, difficulty: Series[float]) -> Series[bool]:
        return difficulty == difficulty.round()


class BtcDailySourceFieldsRaw(Model):
    """The Coin Metrics fields btc_daily was computed from, as transcribed."""

    date: Series[pd.Timestamp] = coin_metrics_day(unique=True)
    BlkCnt: Series[float] = pa.Field(**BLOCKS_PER_DAY)
    FeeTotNtv: Series[float] = pa.Field(**FEES_BTC)
    # Coin Metrics' TH/s: the network range above, times a million.
    HashRate_THs: Series[float] = pa.Field(ge=NETWORK_EHS["ge"] * 1e6, le=NETWORK_EHS["le"] * 1e6)
    IssTotUSD: Series[float] = pa.Field(**ISSUANCE_USD)
    PriceUSD: Series[float] = pa.Field(**BTC_USD)

    @pa.check("HashRate_THs", "PriceUSD", "IssTotUSD", name="within_3x_of_its_week")
    def within_3x_of_its_week(cls, values: Series[float]) -> Series[bool]:
        week = values.rolling(7, center=True, min_periods=3).median()
        ratio = values / week
        return (ratio <= MAX_DAY_TO_WEEK_RATIO) & (ratio >= 1 / MAX_DAY_TO_WEEK_RATIO)


class AsicModelsRaw(Model):
    """ASIC miner specifications: hashrate and power per model."""

    maker: Series[str] = text(2)
    model: Series[str] = text(2)
    hashrate_ths: Series[float] = pa.Field(**ASIC_THS)
    power_w: Series[float] = pa.Field(**ASIC_WATTS)
    release: Series[str] = pa.Field(str_matches=r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$", nullable=True)
    brand_as_listed: Series[str] = text(2)
    source: Series[str] = text(5)

    class Config:
        # Two models appear twice with different specs, as published: hashrate tells them apart.
        unique = ["maker", "model", "hashrate_ths"]


class AsicPricesRaw(Model):
    """Dated ASIC asking prices and quoted price-index values, in USD per TH/s."""

    date: Series[pd.Timestamp] = press_date(nullable=False)
    series: Series[str] = text(2)
    price_usd_per_th: Series[float] = pa.Field(**ASIC_USD_PER_TH)
    price_usd: Series[float] = pa.Field(nullable=True, **ASIC_USD)
    hashrate_ths: Series[float] = pa.Field(nullable=True, **ASIC_THS)
    vendor: Series[str] = pa.Field(nullable=True)
    source: Series[str] = text(5)
    note: Series[str] = text(2)

    @table_check("price_per_th_is_price_over_hashrate", about="price_usd_per_th")
    def price_per_th(cls, df: pd.DataFrame) -> Series[bool]:
        listed = df["price_usd"].notna() & df["hashrate_ths"].notna()
        computed = df["price_usd"] / df["hashrate_ths"]
        # The snapshot rounds USD/TH to cents.
        return ~listed | ((computed - df["price_usd_per_th"]).abs() <= 0.0051)


#: Raw table name (the CSV's stem in data/raw) → its pandera model.
RAW_MODELS: dict[str, type[Model]] = {
    "cbeci_countries": CbeciCountriesRaw,
    "cbeci_provinces": CbeciProvincesRaw,
    "events": EventsRaw,
    "machine_flows": MachineFlowsRaw,
    "machine_flow_entities": MachineFlowEntitiesRaw,
    "published_figures": PublishedFiguresRaw,
    "source_conflicts": SourceConflictsRaw,
    "source_statements": SourceStatementsRaw,
    "seed_articles": SeedArticlesRaw,
    "btc_daily_source_fields": BtcDailySourceFieldsRaw,
    "asic_models": AsicModelsRaw,
    "asic_prices": AsicPricesRaw,
}


@dataclass(frozen=True)
class SeriesWindow:
    """A table that is a time series: every period of its window must be present.

    ``end`` is the least the snapshot must cover; later periods are allowed, and
    then must be complete up to the last one.

    ``by`` names the column whose every value in ``members`` must have every period;
    ``gaps`` lists the (period, member) pairs missing as published, each with why.
    """

    column: str
    freq: str  # "MS" for months, "D" for days
    start: pd.Timestamp
    end: pd.Timestamp
    by: str | None = None
    members: tuple[str, ...] = ()
    gaps: dict[tuple[str, str], str] = dc_field(default_factory=dict)

    def expected(self, last: pd.Timestamp | None = None) -> pd.DatetimeIndex:
        """Every period from the start to the declared end, or to ``last`` if later
        (a refreshed series may run on, without a gap)."""
        end = self.end if last is None or pd.isna(last) else max(self.end, last)
        return pd.date_range(self.start, end, freq=self.freq)


#: Raw table → its declared window. Completeness is checked at validation, before any
#: table is derived; a missing period is an error unless it is a named gap here.
SERIES_WINDOWS: dict[str, SeriesWindow] = {
    "cbeci_countries": SeriesWindow(
        "date", "MS", *CCAF_COUNTRY_MONTHS, by="country", members=tuple(CCAF_COUNTRIES)
    ),
    "cbeci_provinces": SeriesWindow(
        "date",
        "MS",
        *CCAF_PROVINCE_MONTHS,
        by="province",
        members=CCAF_PROVINCES,
        gaps=PROVINCE_MISSING_MONTHS,
    ),
    "btc_daily_source_fields": SeriesWindow("date", "D", DAILY_START, DAILY_END),
}
