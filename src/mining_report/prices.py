"""What mining paid and what machines cost: weekly price trends and their recovery,
difficulty adjustments, and ASIC asking prices by efficiency class."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .tables import finalize
from .vocabularies import DAILY_START, LATEST_POSSIBLE, STUDY_END

# --------------------------------------------------------------------------------------
# Weekly price trends
# --------------------------------------------------------------------------------------

#: The four weekly series → the stem of their index and drawdown columns.
TREND_SERIES: dict[str, str] = {
    "btc_close_usd": "btc_close",
    "hashrate_ehs_7d": "hashrate",
    "difficulty": "difficulty",
    "hashprice_usd_per_th_day": "hashprice",
}

#: The unit of each weekly series (difficulty is a pure number).
TREND_UNITS: dict[str, str] = {
    "btc_close_usd": "USD",
    "hashrate_ehs_7d": "EH/s",
    "difficulty": "dimensionless",
    "hashprice_usd_per_th_day": "USD per TH/s per day",
}

INDEX_UNIT = "index (base week = 100)"
DAYS_PER_WEEK = 7


def _is_monday(dates: Series[pd.Timestamp]) -> Series[bool]:
    return dates.dt.day_of_week == 0


class PriceTrends(pa.DataFrameModel):
    """Weekly BTC close, hashrate, difficulty and hashprice, indexed to the base week.

    ISO weeks, Monday to Sunday, from the Coin Metrics daily table. Complete weeks
    only: a week with fewer than 7 days of data (at either end of the series) is
    dropped, never filled. The base week is the ISO week containing
    ``analysis.base_week`` in config/config.yaml; every ``*_index`` is 100 in it.
    Each ``*_drawdown_pct`` compares a week with the series' pre-ban peak, the
    maximum over the weeks up to and including the base week: it is <= 0 up to the
    base week and may be positive afterwards. Key: week_start.
    """

    week_start: Series[pd.Timestamp] = pa.Field(
        ge=DAILY_START, le=LATEST_POSSIBLE, description="Monday that starts the ISO week"
    )
    iso_week: Series[str] = pa.Field(
        str_matches=r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$",
        description="ISO year and week number, e.g. 2021-W19",
    )
    btc_close_usd: Series[float] = pa.Field(
        gt=0,
        description="BTC price on the week's last day (Sunday), end of UTC day",
        metadata={"unit": "USD"},
    )
    hashrate_ehs_7d: Series[float] = pa.Field(
        gt=0, description="Mean of the week's 7 daily hashrates", metadata={"unit": "EH/s"}
    )
    difficulty: Series[float] = pa.Field(
        gt=0,
        description="Mean of the week's 7 daily mean difficulties",
        metadata={"unit": "dimensionless"},
    )
    hashprice_usd_per_th_day: Series[float] = pa.Field(
        gt=0,
        description=(
            "Miner revenue per unit of hashrate: the week's total miner_revenue_usd "
            "divided by the sum of its daily hashrates in TH/s"
        ),
        metadata={"unit": "USD per TH/s per day"},
    )
    btc_close_index: Series[float] = pa.Field(
        gt=0, description="btc_close_usd, base week = 100", metadata={"unit": INDEX_UNIT}
    )
    hashrate_index: Series[float] = pa.Field(
        gt=0, description="hashrate_ehs_7d, base week = 100", metadata={"unit": INDEX_UNIT}
    )
    difficulty_index: Series[float] = pa.Field(
        gt=0, description="difficulty, base week = 100", metadata={"unit": INDEX_UNIT}
    )
    hashprice_index: Series[float] = pa.Field(
        gt=0,
        description="hashprice_usd_per_th_day, base week = 100",
        metadata={"unit": INDEX_UNIT},
    )
    btc_close_drawdown_pct: Series[float] = pa.Field(
        ge=-100,
        description="btc_close_usd relative to its pre-ban peak (max up to the base week)",
        metadata={"unit": "percent"},
    )
    hashrate_drawdown_pct: Series[float] = pa.Field(
        ge=-100,
        description="hashrate_ehs_7d relative to its pre-ban peak (max up to the base week)",
        metadata={"unit": "percent"},
    )
    difficulty_drawdown_pct: Series[float] = pa.Field(
        ge=-100,
        description="difficulty relative to its pre-ban peak (max up to the base week)",
        metadata={"unit": "percent"},
    )
    hashprice_drawdown_pct: Series[float] = pa.Field(
        ge=-100,
        description=(
            "hashprice_usd_per_th_day relative to its pre-ban peak (max up to the base week)"
        ),
        metadata={"unit": "percent"},
    )

    class Config:
        strict = True
        coerce = True
        ordered = True
        unique = ["week_start"]

    @pa.check("week_start", name="monday")
    def monday(cls, dates: Series[pd.Timestamp]) -> Series[bool]:
        return _is_monday(dates)


def week_of(day: str | pd.Timestamp) -> pd.Timestamp:
    """The Monday that starts the ISO week containing ``day``."""
    day = pd.Timestamp(day).normalize()
    return day - pd.Timedelta(days=day.day_of_week)


def iso_week_label(week_start: pd.Series) -> pd.Series:
    """'2021-W19' for each date, by ISO year and week."""
    iso = pd.DatetimeIndex(week_start).isocalendar()
    labels = [f"{year}-W{week:02d}" for year, week in zip(iso["year"], iso["week"], strict=True)]
    return pd.Series(labels, index=week_start.index)


def _complete_weeks(btc_daily: pd.DataFrame) -> pd.DataFrame:
    """The four weekly series, one row per complete ISO week, indexed by week_start."""
    daily = btc_daily.assign(date=btc_daily["date"].dt.normalize()).sort_values("date")
    weeks = daily.groupby(daily["date"] - pd.to_timedelta(daily["date"].dt.day_of_week, unit="D"))
    days = weeks["date"].nunique()
    # Sorted by date, so a complete week's last row is its Sunday.
    table = pd.DataFrame(
        {
            "btc_close_usd": weeks["price_usd"].last(),
            "hashrate_ehs_7d": weeks["hashrate_ehs"].mean(),
            "difficulty": weeks["difficulty"].mean(),
            "hashprice_usd_per_th_day": weeks["miner_revenue_usd"].sum()
            / (weeks["hashrate_ehs"].sum() * 1e6),
        }
    )
    table = table[(days == DAYS_PER_WEEK) & (weeks.size() == DAYS_PER_WEEK)]
    table.index.name = "week_start"
    return table


def _base_week_start(weekly: pd.DataFrame, base_week: str | pd.Timestamp) -> pd.Timestamp:
    start = week_of(base_week)
    if start not in weekly.index:
        raise ValueError(
            f"base week {start:%Y-%m-%d} (containing {base_week}) is not a complete week "
            "of the daily data"
        )
    return start


def price_trends(btc_daily: pd.DataFrame, base_week: str) -> pd.DataFrame:
    """Weekly close, 7-day means and hashprice, with indices and drawdowns.

    ``base_week`` is any day of the base week (config ``analysis.base_week``).
    """
    weekly = _complete_weeks(btc_daily)
    base = _base_week_start(weekly, base_week)
    table = weekly.copy()
    for column, stem in TREND_SERIES.items():
        values = weekly[column]
        table[f"{stem}_index"] = values / values.loc[base] * 100
        pre_ban_peak = values.loc[:base].max()
        table[f"{stem}_drawdown_pct"] = values / pre_ban_peak * 100 - 100
    table = table.reset_index()
    table["iso_week"] = iso_week_label(table["week_start"])
    return finalize(table, PriceTrends)


# --------------------------------------------------------------------------------------
# Recovery after the base week
# --------------------------------------------------------------------------------------

#: recovered_by for a series that did not reach its base value again.
NOT_RECOVERED = "not by {last_day:%Y-%m-%d}"


class PriceRecovery(pa.DataFrameModel):
    """Per weekly series: base-week value, pre-ban peak, trough and time back to base.

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

    series: Series[str] = pa.Field(
        isin=list(TREND_SERIES), description="Column of price_trends the row describes"
    )
    unit: Series[str] = pa.Field(
        isin=sorted(set(TREND_UNITS.values())), description="Unit of the row's values"
    )
    base_week_start: Series[pd.Timestamp] = pa.Field(
        ge=DAILY_START, le=LATEST_POSSIBLE, description="Monday of the base week"
    )
    base_value: Series[float] = pa.Field(
        gt=0,
        description="Value in the base week, in the row's unit",
        metadata={"unit": "the row's unit column"},
    )
    pre_ban_peak: Series[float] = pa.Field(
        gt=0,
        description="Maximum over the weeks up to and including the base week",
        metadata={"unit": "the row's unit column"},
    )
    pre_ban_peak_week_start: Series[pd.Timestamp] = pa.Field(
        ge=DAILY_START,
        le=LATEST_POSSIBLE,
        description="Monday of the pre-ban peak week (first if tied)",
    )
    trough_value: Series[float] = pa.Field(
        gt=0,
        nullable=True,
        description="Minimum from the base week to the recovery (or the end of the data)",
        metadata={"unit": "the row's unit column"},
    )
    trough_week_start: Series[pd.Timestamp] = pa.Field(
        ge=DAILY_START,
        le=LATEST_POSSIBLE,
        nullable=True,
        description="Monday of the trough week (first if tied)",
    )
    weeks_to_baseline: Series[pd.Int64Dtype] = pa.Field(
        ge=0,
        nullable=True,
        description=(
            "Weeks from the base week to the first week, after falling below base_value, "
            "with value >= base_value; missing when there is none"
        ),
        metadata={"unit": "weeks"},
    )
    recovered_by: Series[str] = pa.Field(
        str_matches=r"^(not by )?\d{4}-\d{2}-\d{2}$",
        description=(
            "Monday (YYYY-MM-DD) of the first later week with value >= base_value, "
            "or 'not by <last day of the daily data>'"
        ),
    )

    class Config:
        strict = True
        coerce = True
        ordered = True
        unique = ["series"]

    @pa.dataframe_check(name="recovered_by_matches_weeks_to_baseline")
    def recovered_by_matches(cls, df: pd.DataFrame) -> Series[bool]:
        dated = ~df["recovered_by"].str.startswith("not by")
        return dated == df["weeks_to_baseline"].notna()


def price_recovery(btc_daily: pd.DataFrame, base_week: str) -> pd.DataFrame:
    """Base value, pre-ban peak, trough and weeks back to base for each weekly series."""
    weekly = price_trends(btc_daily, base_week).set_index("week_start")
    base = week_of(base_week)
    last_day = pd.Timestamp(btc_daily["date"].max())
    rows = []
    for column in TREND_SERIES:
        values = weekly[column]
        before, after = values.loc[:base], values.loc[values.index > base]
        base_value = values.loc[base]
        below = after[after < base_value]
        if below.empty:  # never fell below its base: nothing to recover from
            weeks, recovered_by, window = 0, f"{base:%Y-%m-%d}", after.iloc[:0]
        else:
            reached = after[(after.index > below.index[0]) & (after >= base_value)]
            if reached.empty:
                weeks, recovered_by = pd.NA, NOT_RECOVERED.format(last_day=last_day)
                window = after
            else:
                first = reached.index[0]
                weeks, recovered_by = (first - base).days // DAYS_PER_WEEK, f"{first:%Y-%m-%d}"
                window = after.loc[: first - pd.Timedelta(days=1)]
        rows.append(
            {
                "series": column,
                "unit": TREND_UNITS[column],
                "base_week_start": base,
                "base_value": base_value,
                "pre_ban_peak": before.max(),
                "pre_ban_peak_week_start": before.idxmax(),
                "trough_value": window.min() if not window.empty else np.nan,
                "trough_week_start": window.idxmin() if not window.empty else pd.NaT,
                "weeks_to_baseline": weeks,
                "recovered_by": recovered_by,
            }
        )
    table = pd.DataFrame(rows).astype({"weeks_to_baseline": "Int64"})
    return finalize(table, PriceRecovery)


# --------------------------------------------------------------------------------------
# Difficulty adjustments
# --------------------------------------------------------------------------------------

#: Days whose mean difficulty differs by no more than this (relative) share an epoch.
EPOCH_TOLERANCE = 1e-6


class DifficultyAdjustments(pa.DataFrameModel):
    """Bitcoin difficulty adjustments found in the daily mean difficulty.

    An epoch is a run of at least two consecutive days whose mean difficulty stays
    within a relative 1e-6 of the run's first day; its value is the median of those
    days. Between two epochs there may be one mixed day, whose mean is a
    block-weighted mix of old and new difficulty. ``date`` is the first day whose
    value belongs to the new epoch, so it is the day after the mixed day, on which
    the adjustment block was mined. A single day at either end of the series is not
    used; more than one odd day between two epochs is refused. Key: date.
    """

    date: Series[pd.Timestamp] = pa.Field(
        ge=DAILY_START,
        le=LATEST_POSSIBLE,
        description="First day whose value belongs to the new epoch",
    )
    mixed_day: Series[pd.Timestamp] = pa.Field(
        ge=DAILY_START,
        le=LATEST_POSSIBLE,
        nullable=True,
        description=(
            "The day between the epochs whose mean mixes old and new difficulty (the UTC "
            "day of the adjustment); missing when the two runs abut"
        ),
    )
    difficulty_before: Series[float] = pa.Field(
        gt=0,
        description="Difficulty of the previous epoch (median of its days)",
        metadata={"unit": "dimensionless"},
    )
    difficulty_after: Series[float] = pa.Field(
        gt=0,
        description="Difficulty of the new epoch (median of its days)",
        metadata={"unit": "dimensionless"},
    )
    change_pct: Series[float] = pa.Field(
        ge=-100,
        description="difficulty_after / difficulty_before x 100 - 100",
        metadata={"unit": "percent"},
    )

    class Config:
        strict = True
        coerce = True
        ordered = True
        unique = ["date"]

    @pa.dataframe_check(name="mixed_day_is_the_day_before")
    def mixed_day_is_the_day_before(cls, df: pd.DataFrame) -> Series[bool]:
        return df["mixed_day"].isna() | (df["date"] - df["mixed_day"] == pd.Timedelta(days=1))


def _runs(values: np.ndarray, tolerance: float) -> list[tuple[int, int]]:
    """(first, last) positions of runs within ``tolerance`` of their first value."""
    runs, start = [], 0
    for i in range(1, len(values)):
        if abs(values[i] - values[start]) > tolerance * abs(values[start]):
            runs.append((start, i - 1))
            start = i
    if len(values):
        runs.append((start, len(values) - 1))
    return runs


def difficulty_adjustments(
    btc_daily: pd.DataFrame, tolerance: float = EPOCH_TOLERANCE
) -> pd.DataFrame:
    """One row per difficulty adjustment between two epochs of the daily series."""
    daily = btc_daily.sort_values("date")
    dates = pd.DatetimeIndex(daily["date"]).normalize()
    values = daily["difficulty"].to_numpy(dtype=float)
    rows = []
    previous: tuple[int, int] | None = None
    between: list[int] = []
    for first, last in _runs(values, tolerance):
        if first == last:
            between.append(first)
            continue
        if previous is not None:
            if len(between) > 1:
                odd = ", ".join(f"{dates[i]:%Y-%m-%d}" for i in between)
                raise ValueError(
                    f"difficulty: {len(between)} days between two epochs ({odd}); "
                    "expected at most one mixed day"
                )
            before = float(np.median(values[previous[0] : previous[1] + 1]))
            after = float(np.median(values[first : last + 1]))
            rows.append(
                {
                    "date": dates[first],
                    "mixed_day": dates[between[0]] if between else pd.NaT,
                    "difficulty_before": before,
                    "difficulty_after": after,
                    "change_pct": after / before * 100 - 100,
                }
            )
        previous, between = (first, last), []
    columns = ["date", "mixed_day", "difficulty_before", "difficulty_after", "change_pct"]
    table = pd.DataFrame(rows, columns=columns).astype(
        {"date": "datetime64[ns]", "mixed_day": "datetime64[ns]"}
    )
    return finalize(table, DifficultyAdjustments)


# --------------------------------------------------------------------------------------
# ASIC prices by efficiency class
# --------------------------------------------------------------------------------------

#: Hashrate Index efficiency bands, most efficient first.
EFFICIENCY_BANDS: tuple[str, ...] = ("under 38 J/TH", "38-68 J/TH", "over 68 J/TH")
UNCLASSIFIED = "unclassified"
#: Every class of the monthly table: the three bands and listings no model matched.
EFFICIENCY_CLASSES: tuple[str, ...] = (*EFFICIENCY_BANDS, UNCLASSIFIED)

#: A trailing hash rate in a listing ("… 104T", "… 13.5t 36J/th"), and all after it.
_LISTING_HASHRATE = re.compile(r"\s+\d+(?:\.\d+)?t\b.*$")
#: A hash-rate variant in a model name: "(104T)".
_MODEL_HASHRATE = re.compile(r"\s*\(\d+(?:\.\d+)?t\)")
#: "Hashrate Index ASIC Price Index: under 38 J/TH" → "under 38 J/TH".
_INDEX_TIER = re.compile(r":\s*(under 38|38-68|over 68) J/TH\s*$", re.IGNORECASE)


def _family(text: str) -> str:
    text = re.sub(r"\s+", "", text).removeprefix("canaan")
    return text.replace("plus", "+")


def listing_family(series: str) -> str:
    """Model family of a listing: 'Antminer S19j Pro 104T' → 'antminers19jpro'.

    Lowercase; cut a trailing hash rate such as ' 104T' and everything after it;
    remove spaces and a leading 'canaan'; 'plus' → '+'.
    """
    return _family(_LISTING_HASHRATE.sub("", series.lower()))


def model_family(model: str) -> str:
    """Model family of a specification: 'Antminer S19j Pro (104T)' → 'antminers19jpro'.

    Lowercase; remove a hash-rate parenthetical such as '(104T)' (other
    parentheticals, like '(Underclocked )', stay); remove spaces and a leading
    'canaan'; 'plus' → '+'.
    """
    return _family(_MODEL_HASHRATE.sub("", model.lower()))


def efficiency_class(j_per_th: float) -> str:
    """Hashrate Index band of an efficiency in J/TH; missing → 'unclassified'."""
    if pd.isna(j_per_th):
        return UNCLASSIFIED
    if j_per_th < 38:
        return EFFICIENCY_BANDS[0]
    if j_per_th <= 68:
        return EFFICIENCY_BANDS[1]
    return EFFICIENCY_BANDS[2]


def classify_listings(asic_prices: pd.DataFrame, asic_models: pd.DataFrame) -> pd.DataFrame:
    """Dealer listings (vendor set) with family, J/TH, its basis and efficiency class.

    J/TH is power_w / hashrate_ths of the family's specification at the listing's
    own hash rate ("spec"), else the median J/TH of the family's specifications
    ("family median"). A listing whose family matches no model stays unclassified.
    """
    specs = asic_models.assign(
        family=asic_models["model"].map(model_family),
        j_per_th=asic_models["power_w"] / asic_models["hashrate_ths"],
    )
    exact = specs.groupby(["family", "hashrate_ths"])["j_per_th"].median()
    family = specs.groupby("family")["j_per_th"].median()
    listings = asic_prices[asic_prices["vendor"].notna()].copy()
    listings["family"] = listings["series"].map(listing_family)
    keys = pd.MultiIndex.from_arrays([listings["family"], listings["hashrate_ths"]])
    at_spec = pd.Series(exact.reindex(keys).to_numpy(), index=listings.index)
    by_family = listings["family"].map(family)
    listings["j_per_th"] = at_spec.fillna(by_family)
    listings["basis"] = np.select(
        [at_spec.notna(), by_family.notna()], ["spec", "family median"], default="no match"
    )
    listings["efficiency_class"] = listings["j_per_th"].map(efficiency_class)
    return listings


class AsicPrices(pa.DataFrameModel):
    """Monthly median dealer asking price per TH/s, by Hashrate Index efficiency class.

    Dealer listings only (vendor set; the Hashrate Index quotes are in
    asic_price_index_quotes). A listing's efficiency is its model's power / hash rate
    from asic_models, at the listing's hash rate when the family has that variant,
    else the family's median J/TH; listings matching no model are 'unclassified'.
    Every month from the first to the last listing month appears with every class:
    months without listings have listings = 0 and no median, never interpolated.
    Key: (month, efficiency_class).
    """

    month: Series[pd.Timestamp] = pa.Field(
        ge=pd.Timestamp("2021-01-01"), le=STUDY_END, description="First day of the month"
    )
    efficiency_class: Series[str] = pa.Field(
        isin=list(EFFICIENCY_CLASSES),
        description="Hashrate Index band (J/TH: < 38, 38-68, > 68) or 'unclassified'",
    )
    median_usd_per_th: Series[float] = pa.Field(
        gt=0,
        nullable=True,
        description="Median asking price per TH/s of the month's listings; missing if none",
        metadata={"unit": "USD per TH/s"},
    )
    listings: Series[int] = pa.Field(ge=0, description="Number of dealer listings")

    class Config:
        strict = True
        coerce = True
        ordered = True
        unique = ["month", "efficiency_class"]

    @pa.check("month", name="first_day_of_month")
    def first_day_of_month(cls, dates: Series[pd.Timestamp]) -> Series[bool]:
        return dates.dt.is_month_start

    @pa.dataframe_check(name="median_only_with_listings")
    def median_only_with_listings(cls, df: pd.DataFrame) -> Series[bool]:
        return df["median_usd_per_th"].notna() == (df["listings"] > 0)


def asic_prices_by_class(asic_prices: pd.DataFrame, asic_models: pd.DataFrame) -> pd.DataFrame:
    """Monthly median USD per TH/s and listing count for every month x class."""
    listings = classify_listings(asic_prices, asic_models)
    listings["month"] = listings["date"].dt.to_period("M").dt.to_timestamp()
    if listings.empty:
        months = pd.DatetimeIndex([])
    else:
        months = pd.date_range(listings["month"].min(), listings["month"].max(), freq="MS")
    grid = pd.MultiIndex.from_product([months, EFFICIENCY_CLASSES], names=["month", "class"])
    grouped = listings.groupby(["month", "efficiency_class"])["price_usd_per_th"]
    table = pd.DataFrame(
        {
            "median_usd_per_th": grouped.median().reindex(grid),
            "listings": grouped.size().reindex(grid, fill_value=0),
        }
    ).reset_index()
    table = table.rename(columns={"class": "efficiency_class"})
    return finalize(table, AsicPrices)


class AsicPriceIndexQuotes(pa.DataFrameModel):
    """Hashrate Index ASIC Price Index values quoted in press, by efficiency class.

    The rows of asic_prices without a vendor; the class is parsed from the series
    text. Dates are as stated or assigned in the raw table's note. Key: (date,
    efficiency_class).
    """

    date: Series[pd.Timestamp] = pa.Field(
        ge=pd.Timestamp("2021-01-01"), le=STUDY_END, description="Date stated or assigned"
    )
    efficiency_class: Series[str] = pa.Field(
        isin=list(EFFICIENCY_BANDS), description="Hashrate Index band (J/TH: < 38, 38-68, > 68)"
    )
    usd_per_th: Series[float] = pa.Field(
        gt=0, description="Quoted index value", metadata={"unit": "USD per TH/s"}
    )
    note: Series[str] = pa.Field(description="How the value and its date were obtained")

    class Config:
        strict = True
        coerce = True
        ordered = True
        unique = ["date", "efficiency_class"]


def asic_price_index_quotes(asic_prices: pd.DataFrame) -> pd.DataFrame:
    """The quoted Hashrate Index values (rows without a vendor), one per date and class."""
    quotes = asic_prices[asic_prices["vendor"].isna()]
    tier = quotes["series"].str.extract(_INDEX_TIER, expand=False)
    unparsed = quotes.loc[tier.isna(), "series"]
    if not unparsed.empty:
        raise ValueError(f"no efficiency class in index series: {sorted(set(unparsed))}")
    table = pd.DataFrame(
        {
            "date": quotes["date"],
            "efficiency_class": tier.str.lower() + " J/TH",
            "usd_per_th": quotes["price_usd_per_th"],
            "note": quotes["note"],
        }
    )
    return finalize(table, AsicPriceIndexQuotes)
