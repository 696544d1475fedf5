"""Pandera models of the cleaned tables: what the pipeline writes to data/processed/.

Each model's docstring is its table's description, its ``Config.unique`` its key, and
its fields' descriptions and units the data dictionary's (see ``tables.py``); the
derivations in the domain modules finish every table with its model.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ..vocabularies import (
    CCAF_PROVINCES,
    CLAIM_CHOICES,
    CONFIDENCE_LEVELS,
    COUNTRIES,
    DESTINATION_COUNTRIES,
    EFFICIENCY_BANDS,
    EFFICIENCY_CLASSES,
    EXPOSURE_WEIGHTS,
    JURISDICTIONS,
    LATEST_POSSIBLE,
    MACHINE_FLOWS,
    MEASURES,
    MIGRATION_PERIODS,
    SCOPES,
    STAGES,
    STUDY_END,
    STUDY_START,
    TREND_SERIES,
    TREND_UNITS,
)
from .base import (
    CLAIM_REFERENCE,
    Model,
    change_pct,
    coin_metrics_day,
    count,
    ehs,
    measure,
    month_start,
    one_of,
    share_pct,
    usd_per_th,
)

#: The unit of a weekly series' index.
INDEX_UNIT = "index (base week = 100)"
#: The unit of a value of price_recovery: the one its row's ``unit`` names.
ROW_UNIT = "the row's unit column"
#: The first month of the ASIC listings and index quotes.
ASIC_PRICES_START = pd.Timestamp("2021-01-01")


def _index(description: str) -> Any:
    """A weekly series as an index, 100 in the base week."""
    return measure(INDEX_UNIT, description, gt=0)


def _difficulty(description: str) -> Any:
    """A mean difficulty: a pure number above zero."""
    return measure("dimensionless", description, gt=0)


def _in_row_unit(description: str, *, nullable: bool = False) -> Any:
    """A value of price_recovery, above zero, in the unit its row names."""
    return measure(ROW_UNIT, description, nullable=nullable, gt=0)


# --- where the hashrate was ----------------------------------------------------------


class HashrateByCountry(Model):
    """Monthly share of global hashrate and hashrate by country, names normalized.

    Units: ``share_pct`` in percent of global hashrate; ``hashrate_ehs`` in EH/s
    (monthly average). Key: (month, country).
    """

    month: Series[pd.Timestamp] = month_start(STUDY_START, LATEST_POSSIBLE)
    country: Series[str] = one_of(COUNTRIES, "Country, CCAF names normalized; Other is the rest")
    share_pct: Series[float] = share_pct("Share of global hashrate")
    hashrate_ehs: Series[float] = ehs("Monthly average hashrate", ge=0)

    class Config:
        ordered = True
        unique = ["month", "country"]


class HashrateByProvince(Model):
    """Monthly share of China's hashrate by province, and the same as a share of the world's.

    ``share_of_global_pct`` = ``share_of_china_pct`` × China's share of global hashrate
    that month ÷ 100 (CCAF country table), rounded to 4 decimals, which is exact for
    two 2-decimal inputs. Province-months missing from CCAF's download (Inner Mongolia,
    June 2020) are missing here too, never filled. Key: (month, province).
    """

    month: Series[pd.Timestamp] = month_start(STUDY_START, LATEST_POSSIBLE)
    province: Series[str] = one_of(CCAF_PROVINCES, "Province as CCAF reports it; Other is the rest")
    share_of_china_pct: Series[float] = share_pct("Share of China's hashrate")
    share_of_global_pct: Series[float] = share_pct("Share of global hashrate")

    class Config:
        unique = ["month", "province"]


class HashrateMigration(Model):
    """Each country's hashrate at three moments: before the crackdown, at zero, latest.

    ``period`` is ``before`` (the last full month before the May 2021 measures),
    ``exodus`` (a month when CCAF attributed no hashrate to China) or ``latest``
    (CCAF's last month, unless config pins another); the months are set in
    config/config.yaml. Changes are
    against ``before``. Key: (country, period).
    """

    country: Series[str] = one_of(COUNTRIES, "Country")
    period: Series[str] = one_of(MIGRATION_PERIODS, "Moment compared")
    month: Series[pd.Timestamp] = month_start()
    share_pct: Series[float] = share_pct("Share of global hashrate")
    hashrate_ehs: Series[float] = ehs("Monthly average hashrate", ge=0)
    share_change_pts: Series[float] = measure("percentage points", "Change in share since before")
    hashrate_change_ehs: Series[float] = ehs("Change in hashrate since before")

    class Config:
        unique = ["country", "period"]


# --- the crackdown's measures ---------------------------------------------------------


class Shutdowns(Model):
    """The crackdown's measures, each with the hashrate share its jurisdiction held.

    Exposure is the jurisdiction's share in the baseline month (config
    ``analysis.baseline_month``, the last full month before the first measure): a
    province's share from the province table, a national measure's from the country
    table (all of China). For a measure narrower than its province (``scope`` a
    prefecture or city, a park or company, a person) the province's share is only
    an upper bound on what it reached. Provinces that CCAF folds into "Other" have
    an unknown exposure; ``exposure_note`` says why. Key: event_id.
    """

    event_id: Series[str] = pa.Field(str_matches=r"^E\d{2}$", description="Event identifier")
    date_announced: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="Day the measure was announced (missing: day unknown)"
    )
    date_effective: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="Stated deadline or effective day, if any"
    )
    jurisdiction: Series[str] = one_of(JURISDICTIONS, "Province or national")
    authority: Series[str] = pa.Field(description="Issuing body as the sources name it")
    measure: Series[str] = one_of(MEASURES, "Kind of measure")
    scope: Series[str] = one_of(SCOPES, "Whom the measure reaches, from all of China to one person")
    stage: Series[str] = one_of(STAGES, "Draft for comment, or final")
    summary: Series[str] = pa.Field(description="What the measure did, in the project's words")
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS, "How well the date is attested")
    source_publisher: Series[str] = pa.Field(description="Publisher of the primary source")
    source_url: Series[str] = pa.Field(
        str_matches=r"^https?://", description="Primary source (http or https)"
    )
    exposure_month: Series[pd.Timestamp] = month_start(
        STUDY_START, LATEST_POSSIBLE,
        description="CCAF month the exposure is read from: the baseline month",
    )  # fmt: skip
    exposure_share_of_china_pct: Series[float] = share_pct(
        "Jurisdiction's share of China's hashrate in the baseline month", nullable=True
    )
    exposure_share_of_global_pct: Series[float] = share_pct(
        "Jurisdiction's share of global hashrate in the baseline month", nullable=True
    )
    exposure_is_upper_bound: Series[bool] = pa.Field(
        description="True when the measure is narrower than its province: the share is at most"
    )
    exposure_note: Series[str] = pa.Field(
        description="Where the exposure comes from, or why it is unknown"
    )

    class Config:
        unique = ["event_id"]


class ShutdownExposure(Model):
    """The share of China's hashrate under a stop order, day by day.

    Two bounds, so that neither claims more than the sources show. ``certain``
    counts a province from the announcement of a final ban, shutdown order or
    power cut-off that covers the whole province (or all of China); ``at_most``
    also counts the whole province of one that reached only part of it (a city,
    an industrial park, a company), and CCAF's whole "Other" once one reaches a
    province CCAF folds into it. Every measure is dated by its announcement, the
    one date every dated measure has; a measure without a day is not counted.
    Drafts for comment are not orders. A national order covers all of China.

    Each day appears twice, with the provinces weighted by two months' shares:
    the baseline month set in config/config.yaml (the dry season), and the month
    Sichuan's share of China peaked in the year before it (the wet season), so
    that the effect of the choice of month shows. Key: weights, date.
    """

    weights: Series[str] = one_of(EXPOSURE_WEIGHTS, "Which month's shares weight the provinces")
    weights_month: Series[pd.Timestamp] = month_start(
        STUDY_START, LATEST_POSSIBLE, description="CCAF month whose provincial shares are used"
    )
    date: Series[pd.Timestamp] = pa.Field(description="Day")
    certain_share_of_china_pct: Series[float] = share_pct(
        "Share of China's hashrate (in the weights month) certainly under a stop order"
    )
    at_most_share_of_china_pct: Series[float] = share_pct(
        "Share of China's hashrate (in the weights month) at most under a stop order"
    )
    provinces_certain: Series[str] = pa.Field(
        nullable=True,
        description="Provinces (or national) under a whole-province order, ' ; '-separated",
    )
    provinces_partial: Series[str] = pa.Field(
        nullable=True,
        description="Provinces reached only in part by that day, ' ; '-separated",
    )
    orders_from_today: Series[str] = pa.Field(
        nullable=True, description="Stop orders announced that day (event ids), ' ; '-separated"
    )

    class Config:
        unique = ["weights", "date"]

    @pa.dataframe_check(name="bounds_never_decrease")
    def bounds_never_decrease(cls, df: pd.DataFrame) -> bool:
        bounds = ["certain_share_of_china_pct", "at_most_share_of_china_pct"]
        by_day = df.sort_values("date").groupby("weights")[bounds]
        return bool(
            by_day.apply(lambda g: g.apply(lambda s: s.is_monotonic_increasing)).all().all()
        )

    @pa.dataframe_check(name="one_month_per_weights")
    def one_month_per_weights(cls, df: pd.DataFrame) -> bool:
        return bool((df.groupby("weights")["weights_month"].nunique() <= 1).all())

    @pa.dataframe_check(name="certain_within_at_most")
    def certain_within_at_most(cls, df: pd.DataFrame) -> Series[bool]:
        return df["certain_share_of_china_pct"] <= df["at_most_share_of_china_pct"]


# --- what mining paid and what machines cost ------------------------------------------


def _is_monday(dates: Series[pd.Timestamp]) -> Series[bool]:
    return dates.dt.day_of_week == 0


class PriceTrends(Model):
    """Weekly price and network series, indexed to the base week: price, hashrate, hashprice.

    ISO weeks, Monday to Sunday, from the Coin Metrics daily table. Complete weeks
    only: a week with fewer than 7 days of data (at either end of the series) is
    dropped, never filled. The base week is the ISO week containing
    ``analysis.base_week`` in config/config.yaml; every ``*_index`` is 100 in it.
    Each ``*_drawdown_pct`` compares a week with the series' pre-ban peak, the
    maximum over the weeks up to and including the base week: it is <= 0 up to the
    base week and may be positive afterwards. Key: week_start.
    """

    week_start: Series[pd.Timestamp] = coin_metrics_day("Monday that starts the ISO week")
    iso_week: Series[str] = pa.Field(
        str_matches=r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$",
        description="ISO year and week number, e.g. 2021-W19",
    )
    btc_close_usd: Series[float] = measure(
        "USD", "BTC price on the week's last day (Sunday), end of UTC day", gt=0
    )
    hashrate_ehs_7d: Series[float] = ehs("Mean of the week's 7 daily hashrates", gt=0)
    difficulty: Series[float] = _difficulty("Mean of the week's 7 daily mean difficulties")
    hashprice_usd_per_th_day: Series[float] = measure(
        "USD per TH/s per day",
        "Miner revenue per unit of hashrate: the week's total miner_revenue_usd "
        "divided by the sum of its daily hashrates in TH/s",
        gt=0,
    )
    btc_close_index: Series[float] = _index("btc_close_usd, base week = 100")
    hashrate_index: Series[float] = _index("hashrate_ehs_7d, base week = 100")
    difficulty_index: Series[float] = _index("difficulty, base week = 100")
    hashprice_index: Series[float] = _index("hashprice_usd_per_th_day, base week = 100")
    btc_close_drawdown_pct: Series[float] = change_pct(
        "btc_close_usd relative to its pre-ban peak (max up to the base week)"
    )
    hashrate_drawdown_pct: Series[float] = change_pct(
        "hashrate_ehs_7d relative to its pre-ban peak (max up to the base week)"
    )
    difficulty_drawdown_pct: Series[float] = change_pct(
        "difficulty relative to its pre-ban peak (max up to the base week)"
    )
    hashprice_drawdown_pct: Series[float] = change_pct(
        "hashprice_usd_per_th_day relative to its pre-ban peak (max up to the base week)"
    )

    class Config:
        ordered = True
        unique = ["week_start"]

    @pa.check("week_start", name="monday")
    def monday(cls, dates: Series[pd.Timestamp]) -> Series[bool]:
        return _is_monday(dates)


class PriceRecovery(Model):
    """Each weekly series' fall and recovery: base-week value, pre-ban peak, trough, time back.

    One row per series of price_trends (btc_close_usd, hashrate_ehs_7d, difficulty,
    hashprice_usd_per_th_day); values are in the series' own unit, named in ``unit``.
    A series is back at its baseline in the first week, after it has first fallen
    below its base-week value, whose value is again >= that value: weeks_to_baseline
    counts the weeks from the base week to it, and recovered_by is its Monday, or
    "not by <last day of the daily data>" when there is none. The trough is the
    minimum over the weeks from the base week to that recovery (to the end of the
    data when there is none), so a later, unrelated fall does not count. A series
    that never falls below its base has no trough and recovers at once (0 weeks).
    Key: series.
    """

    series: Series[str] = one_of(TREND_SERIES, "Column of price_trends the row describes")
    unit: Series[str] = one_of(sorted(set(TREND_UNITS.values())), "Unit of the row's values")
    base_week_start: Series[pd.Timestamp] = coin_metrics_day("Monday of the base week")
    base_value: Series[float] = _in_row_unit("Value in the base week, in the row's unit")
    pre_ban_peak: Series[float] = _in_row_unit(
        "Maximum over the weeks up to and including the base week"
    )
    pre_ban_peak_week_start: Series[pd.Timestamp] = coin_metrics_day(
        "Monday of the pre-ban peak week (first if tied)"
    )
    trough_value: Series[float] = _in_row_unit(
        "Minimum from the base week to the recovery (or the end of the data)", nullable=True
    )
    trough_week_start: Series[pd.Timestamp] = coin_metrics_day(
        "Monday of the trough week (first if tied)", nullable=True
    )
    weeks_to_baseline: Series[pd.Int64Dtype] = count(
        "Weeks from the base week to the first week, after falling below base_value, "
        "with value >= base_value; missing when there is none",
        unit="weeks",
        nullable=True,
    )
    recovered_by: Series[str] = pa.Field(
        str_matches=r"^(not by )?\d{4}-\d{2}-\d{2}$",
        description=(
            "Monday (YYYY-MM-DD) of the first later week with value >= base_value, "
            "or 'not by <last day of the daily data>'"
        ),
    )

    class Config:
        ordered = True
        unique = ["series"]

    @pa.dataframe_check(name="recovered_by_matches_weeks_to_baseline")
    def recovered_by_matches(cls, df: pd.DataFrame) -> Series[bool]:
        dated = ~df["recovered_by"].str.startswith("not by")
        return dated == df["weeks_to_baseline"].notna()


class DifficultyAdjustments(Model):
    """Bitcoin difficulty adjustments found in the daily mean difficulty.

    An epoch is a run of at least two consecutive days whose mean difficulty stays
    within a relative 1e-6 of the run's first day; its value is the median of those
    days. Between two epochs there may be one mixed day, whose mean is a
    block-weighted mix of old and new difficulty. ``date`` is the first day whose
    value belongs to the new epoch, so it is the day after the mixed day, on which
    the adjustment block was mined. A single day at either end of the series is not
    used; more than one odd day between two epochs is refused. Key: date.
    """

    date: Series[pd.Timestamp] = coin_metrics_day("First day whose value belongs to the new epoch")
    mixed_day: Series[pd.Timestamp] = coin_metrics_day(
        "The day between the epochs whose mean mixes old and new difficulty (the UTC "
        "day of the adjustment); missing when the two runs abut",
        nullable=True,
    )
    difficulty_before: Series[float] = _difficulty(
        "Difficulty of the previous epoch (median of its days)"
    )
    difficulty_after: Series[float] = _difficulty(
        "Difficulty of the new epoch (median of its days)"
    )
    change_pct: Series[float] = change_pct("difficulty_after / difficulty_before x 100 - 100")

    class Config:
        ordered = True
        unique = ["date"]

    @pa.dataframe_check(name="mixed_day_is_the_day_before")
    def mixed_day_is_the_day_before(cls, df: pd.DataFrame) -> Series[bool]:
        return df["mixed_day"].isna() | (df["date"] - df["mixed_day"] == pd.Timedelta(days=1))


class AsicPrices(Model):
    """Monthly median dealer asking price per TH/s, by Hashrate Index efficiency class.

    Dealer listings only (vendor set; the Hashrate Index quotes are in
    asic_price_index_quotes). A listing's efficiency is its model's power / hash rate
    from asic_models, at the listing's hash rate when the family has that variant,
    else the family's median J/TH; listings matching no model are 'unclassified'.
    Every month from the first to the last listing month appears with every class:
    months without listings have listings = 0 and no median, never interpolated.
    Key: (month, efficiency_class).
    """

    month: Series[pd.Timestamp] = month_start(ASIC_PRICES_START, STUDY_END)
    efficiency_class: Series[str] = one_of(
        EFFICIENCY_CLASSES, "Hashrate Index band (J/TH: < 38, 38-68, > 68) or 'unclassified'"
    )
    median_usd_per_th: Series[float] = usd_per_th(
        "Median asking price per TH/s of the month's listings; missing if none", nullable=True
    )
    listings: Series[int] = count("Number of dealer listings")

    class Config:
        ordered = True
        unique = ["month", "efficiency_class"]

    @pa.dataframe_check(name="median_only_with_listings")
    def median_only_with_listings(cls, df: pd.DataFrame) -> Series[bool]:
        return df["median_usd_per_th"].notna() == (df["listings"] > 0)


class AsicPriceIndexQuotes(Model):
    """Hashrate Index ASIC Price Index values quoted in press, by efficiency class.

    The rows of asic_prices without a vendor; the class is parsed from the series
    text. Dates are as stated or assigned in the raw table's note. Key: (date,
    efficiency_class).
    """

    date: Series[pd.Timestamp] = pa.Field(
        ge=ASIC_PRICES_START, le=STUDY_END, description="Date stated or assigned"
    )
    efficiency_class: Series[str] = one_of(
        EFFICIENCY_BANDS, "Hashrate Index band (J/TH: < 38, 38-68, > 68)"
    )
    usd_per_th: Series[float] = usd_per_th("Quoted index value")
    note: Series[str] = pa.Field(description="How the value and its date were obtained")

    class Config:
        ordered = True
        unique = ["date", "efficiency_class"]


# --- mining machines leaving China ----------------------------------------------------


class MachineExports(Model):
    """Every machine count reported in the press, normalized: one row per figure.

    Destination, company and flow are the project's reading of each figure
    (data/raw/press/machine_flow_entities.csv); the count and its wording are the
    source's. Flow vocabulary: "left China" (moved, shipped or relocated out of China:
    the exporters' side), "arrived abroad" (received, hosted, delivered or deployed
    outside China: the receivers' side), "in China" (located in China at a date),
    "seized at export" (held by Chinese customs) and "other" (orders, sales,
    capacities, planned moves, a disputed count). Unit: ``machines`` in machines.
    Key: figure_id.
    """

    figure_id: Series[str] = pa.Field(
        str_matches=r"^M\d{2}$", description="Figure in machine_flows (M01-M70)"
    )
    date_reported: Series[pd.Timestamp] = pa.Field(
        le=STUDY_END,
        nullable=True,
        description="Date of the report giving the figure; empty if none",
    )
    metric: Series[str] = pa.Field(description="What the figure counts, in the project's words")
    machines: Series[pd.Int64Dtype] = count(
        "The count; for a count printed 'N of M', N", unit="machines"
    )
    first_of_pair: Series[bool] = pa.Field(
        description="True when the source printed 'N of M' and machines holds N (M06)"
    )
    qualifier: Series[str] = pa.Field(
        nullable=True,
        description="The unit's qualifier as reported, e.g. 'at least'; empty if none",
    )
    destination_country: Series[str] = one_of(
        DESTINATION_COUNTRIES,
        "Country outside China the machines went to or were in; empty if none named",
        nullable=True,
    )
    company: Series[str] = pa.Field(
        nullable=True, description="Company, host or maker the count is about; empty if none"
    )
    flow: Series[str] = one_of(MACHINE_FLOWS, "Where the count puts the machines (see above)")
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS, "How well the figure is attested")
    source_publisher: Series[str] = pa.Field(description="Publisher of the primary source")
    source_url: Series[str] = pa.Field(description="URL of the primary source")
    in_conflict_ledger: Series[bool] = pa.Field(
        description="True when source_conflicts cites the figure as one of its claims"
    )

    class Config:
        ordered = True
        unique = ["figure_id"]


class MachineExportsByDestination(Model):
    """Where the machines tracked by the FT went (November 2021), one row per country.

    Ranks of counted countries follow their counts; a rank reported without a count
    is taken as published; countries named after the last rank without an order share
    the next rank. The share is of all machines tracked to a destination ("over
    430,000", M03; a single-source figure): a share of counts that are bounds or
    approximations, so it is rounded to a whole percent and means "about". Units:
    ``machines`` in machines, ``share_of_tracked_pct`` in percent. Key:
    destination_country.
    """

    destination_country: Series[str] = one_of(DESTINATION_COUNTRIES, "Destination country")
    machines: Series[pd.Int64Dtype] = count(
        "Machines moved there; empty where the source gives only a rank or a name",
        unit="machines",
        nullable=True,
    )
    qualifier: Series[str] = pa.Field(
        nullable=True,
        description="How the source bounds the count ('at least', ...); empty: as stated",
    )
    rank: Series[int] = pa.Field(ge=1, description="Position among destinations, 1 = most")
    share_of_tracked_pct: Series[float] = share_pct(
        "About this share: machines / machines tracked to any destination x 100, to a "
        "whole percent (the counts are bounds)",
        nullable=True,
    )

    @pa.check("share_of_tracked_pct", name="whole_percent")
    def whole_percent(cls, share: Series[float]) -> Series[bool]:
        return share.isna() | (share == share.round())

    figure_ids: Series[str] = pa.Field(
        description="Figures the row comes from (machine_flows M.., published_figures P..), ' ; '"
    )
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS, "The weakest confidence of those figures")

    class Config:
        ordered = True
        unique = ["destination_country"]


class SourceConflicts(Model):
    """The ledger of figures that disagree, each claim resolved to its value and source.

    Claims are references into the raw and cleaned tables (see the sidecar of
    data/raw/press/source_conflicts.csv); values are text as in the data, numbers of
    cleaned tables rounded to 2 decimals; a claim's unit and source come with it.
    Key: conflict_id.
    """

    conflict_id: Series[str] = pa.Field(
        str_matches=r"^K\d{2}$", description="Conflict K01, K02, ..."
    )
    topic: Series[str] = pa.Field(description="What the two claims disagree about")
    claim_a_ref: Series[str] = pa.Field(
        str_matches=CLAIM_REFERENCE, description="Reference of the claim under question"
    )
    claim_a_value: Series[str] = pa.Field(description="Its value, as text")
    claim_a_unit: Series[str] = pa.Field(description="Its unit, as recorded with it")
    claim_a_source: Series[str] = pa.Field(description="Its source: publisher and URL, or dataset")
    claim_b_ref: Series[str] = pa.Field(
        str_matches=CLAIM_REFERENCE, description="Reference of the claim it is checked against"
    )
    claim_b_value: Series[str] = pa.Field(description="Its value, as text")
    claim_b_unit: Series[str] = pa.Field(description="Its unit, as recorded with it")
    claim_b_source: Series[str] = pa.Field(description="Its source: publisher and URL, or dataset")
    used: Series[str] = one_of(CLAIM_CHOICES, "Which claim the report uses: a, b or neither")
    why: Series[str] = pa.Field(description="Why, in the project's words")

    class Config:
        ordered = True
        unique = ["conflict_id"]
