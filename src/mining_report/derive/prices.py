"""What mining paid and what machines cost: weekly price trends and their recovery,
difficulty adjustments, and ASIC asking prices by efficiency class."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from mining_report.derive.conventions import finalize
from mining_report.derive.models.network import DifficultyAdjustments, PriceRecovery, PriceTrends
from mining_report.derive.models.prices import AsicPriceIndexQuotes, AsicPrices
from mining_report.vocabularies import (
    EFFICIENCY_BANDS,
    EFFICIENCY_CLASSES,
    TREND_SERIES,
    TREND_UNITS,
    UNCLASSIFIED,
)

# --------------------------------------------------------------------------------------
# Weekly price trends
# --------------------------------------------------------------------------------------

DAYS_PER_WEEK = 7


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


def classify_listings(asic_listings: pd.DataFrame, asic_models: pd.DataFrame) -> pd.DataFrame:
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
    listings = asic_listings[asic_listings["vendor"].notna()].copy()
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


def asic_prices_by_class(asic_listings: pd.DataFrame, asic_models: pd.DataFrame) -> pd.DataFrame:
    """Monthly median USD per TH/s and listing count for every month x class."""
    listings = classify_listings(asic_listings, asic_models)
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


def asic_price_index_quotes(asic_listings: pd.DataFrame) -> pd.DataFrame:
    """The quoted Hashrate Index values (rows without a vendor), one per date and class."""
    quotes = asic_listings[asic_listings["vendor"].isna()]
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
