"""Pandera models of what mining paid: the weekly price and network series computed
from the daily network table (indexed to the base week), each series' fall and
recovery, and the difficulty adjustments found in the daily mean difficulty; with the
units and field factories only these tables use."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from mining_report.model_checks import (
    Model,
    change_pct,
    coin_metrics_day,
    count,
    ehs,
    measure,
    one_of,
)
from mining_report.vocabularies import TREND_SERIES, TREND_UNITS

#: The unit of a weekly series' index.
INDEX_UNIT = "index (base week = 100)"
#: The unit of a value of price_recovery: the one its row's ``unit`` names.
ROW_UNIT = "the row's unit column"


def _index(description: str) -> Any:
    """A weekly series as an index, 100 in the base week."""
    return measure(INDEX_UNIT, description, gt=0)


def _difficulty(description: str) -> Any:
    """A mean difficulty: a pure number above zero."""
    return measure("dimensionless", description, gt=0)


def _in_row_unit(description: str, *, nullable: bool = False) -> Any:
    """A value of price_recovery, above zero, in the unit its row names."""
    return measure(ROW_UNIT, description, nullable=nullable, gt=0)


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
