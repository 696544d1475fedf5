"""The crackdown's measures and the hashrate they reached."""

from __future__ import annotations

import pandas as pd

from mining_report.formatting import day_text, month_text, number, percent
from mining_report.numbers.common import (
    COUNT,
    DAY,
    EXPOSURE,
    MONTH,
    SHARE,
    SHUTDOWNS,
    _is,
    merge,
    whose,
)
from mining_report.numbers.lineage import Quoted, pick, quote


def _measure_of(jurisdiction: str) -> str:
    """'the national measure', "Xinjiang's measure"."""
    return (
        "the national measure" if jurisdiction == "national" else f"{whose(jurisdiction)} measure"
    )


def measure_days(shutdowns: pd.DataFrame) -> dict[str, str]:
    """The day each dated measure was announced (``day_e08`` is event E08's), and the
    deadline or effective day of those that state one (``deadline_e02``)."""
    out: dict[str, str] = {}
    for event in shutdowns.itertuples():
        mine = [_is("event_id", event.event_id)]
        slug = event.event_id.lower()
        if pd.notna(event.date_announced):
            out[f"day_{slug}"] = quote(
                day_text(event.date_announced),
                f"the day {_measure_of(event.jurisdiction)} was announced",
                pick(SHUTDOWNS, "date_announced", where=mine), fmt=DAY,
            )  # fmt: skip
        if "date_effective" in shutdowns and pd.notna(event.date_effective):
            out[f"deadline_{slug}"] = quote(
                day_text(event.date_effective),
                f"the deadline or effective day {_measure_of(event.jurisdiction)} stated",
                pick(SHUTDOWNS, "date_effective", where=mine), fmt=DAY,
            )  # fmt: skip
    return out


def shutdown_numbers(shutdowns: pd.DataFrame) -> dict[str, str]:
    """How many measures, where, when, and how many reached less than a province."""
    dated = shutdowns.dropna(subset=["date_announced"])
    national = shutdowns["jurisdiction"] == "national"
    narrow = ~shutdowns["scope"].isin(["national", "province"])
    unknown = shutdowns["exposure_share_of_china_pct"].isna() & shutdowns["date_announced"].notna()
    xinjiang = shutdowns[shutdowns["jurisdiction"] == "Xinjiang"].iloc[0]
    has_day = ("date_announced", "notna")
    every = "every measure"

    def counted(value: int, formula: str, *rows: tuple) -> Quoted:
        return quote(
            number(value),
            formula,
            pick(SHUTDOWNS, "event_id", op="count", where=list(rows)),
            fmt=COUNT,
            filter=None if rows else every,
        )

    xinjiang_row = [_is("event_id", xinjiang["event_id"])]
    return {
        "measure_count": counted(len(shutdowns), "the number of measures in the record"),
        "measure_dated_count": counted(
            len(dated), "the number of measures with a known announcement day", has_day
        ),
        "measure_undated_count": counted(
            len(shutdowns) - len(dated), "the number of measures without a known day",
            ("date_announced", "isna"),
        ),
        "measure_national_count": counted(
            national.sum(), "the number of national measures", _is("jurisdiction", "national")
        ),
        "measure_province_count": quote(
            number(shutdowns.loc[~national, "jurisdiction"].nunique()),
            "the number of provinces with a measure of their own",
            pick(SHUTDOWNS, "jurisdiction", op="nunique",
                 where=[("jurisdiction", "!=", "national")]),
            fmt=COUNT, filter="every measure that is not national",
        ),
        "measure_first_day": quote(
            day_text(dated["date_announced"].min()), "the earliest announcement day",
            pick(SHUTDOWNS, "date_announced", op="min", where=[has_day]), fmt=DAY,
            filter="every dated measure",
        ),
        "measure_last_day": quote(
            day_text(dated["date_announced"].max()), "the latest announcement day",
            pick(SHUTDOWNS, "date_announced", op="max", where=[has_day]), fmt=DAY,
            filter="every dated measure",
        ),
        "measure_narrow_count": counted(
            narrow.sum(), "the number of measures that reached less than a whole province",
            ("scope", "not in", ["national", "province"]),
        ),
        "measure_draft_count": counted(
            (shutdowns["stage"] == "draft").sum(), "the number of drafts put out for comment",
            _is("stage", "draft"),
        ),
        "measure_unknown_exposure_count": counted(
            unknown.sum(), "the number of dated measures whose province's share is unknown",
            ("exposure_share_of_china_pct", "isna"), has_day,
        ),
        "xinjiang_order_exposure_china": quote(
            percent(xinjiang["exposure_share_of_china_pct"]),
            "Xinjiang's share of China's hashrate in the baseline month",
            pick(SHUTDOWNS, "exposure_share_of_china_pct", where=xinjiang_row), fmt=SHARE,
        ),
        "xinjiang_order_exposure_global": quote(
            percent(xinjiang["exposure_share_of_global_pct"]),
            "Xinjiang's share of global hashrate in the baseline month",
            pick(SHUTDOWNS, "exposure_share_of_global_pct", where=xinjiang_row), fmt=SHARE,
        ),
    }  # fmt: skip


def exposure_numbers(shutdown_exposure: pd.DataFrame) -> dict[str, str]:
    """The two bounds of the share of China under a stop order, before and at the national ban.

    Read with the baseline month's weights. The plateau day is the first day on
    which the certain share reaches its highest value before the first day it is
    100 (a national order); both bounds are read on that day, and again with the
    wet-season month's weights, to show how much the choice of month moves them.
    """
    weights = {
        name: rows.sort_values("date").set_index("date")
        for name, rows in shutdown_exposure.groupby("weights")
    }
    if set(weights) != {"baseline", "wet season"}:
        raise ValueError(f"exposure weights {sorted(weights)}, not baseline and wet season")
    table, wet = weights["baseline"], weights["wet season"]
    certain, at_most = table["certain_share_of_china_pct"], table["at_most_share_of_china_pct"]
    full = certain[certain >= 100]
    if full.empty:
        raise ValueError("no national stop order in the exposure year")
    before = certain[certain.index < full.index[0]]
    plateau = before[before == before.max()].index[0]
    dry, rainy = _is("weights", "baseline"), _is("weights", "wet season")
    ahead = [dry, ("date", "<", full.index[0])]
    wet_ahead = [rainy, ("date", "<", full.index[0])]
    earlier = f"every day before {day_text(full.index[0])}"
    on_plateau = [dry, _is("date", plateau)]
    wet_on_plateau = [rainy, _is("date", plateau)]
    everywhere = [dry, ("certain_share_of_china_pct", ">=", 100)]
    wet_month = pd.Timestamp(wet["weights_month"].iloc[0])
    wet_before = wet.loc[wet.index < full.index[0]]
    return {
        "stop_order_plateau_day": quote(
            day_text(plateau),
            "the first day the share certainly under a stop order reached its highest value "
            "before the national ban",
            pick(EXPOSURE, "date", op="argmax", by="certain_share_of_china_pct", where=ahead),
            fmt=DAY, filter=earlier,
        ),
        "stop_order_certain_share": quote(
            percent(certain[plateau]),
            f"the share of China's baseline hashrate certainly under a stop order on "
            f"{day_text(plateau)}",
            pick(EXPOSURE, "certain_share_of_china_pct", where=on_plateau), fmt=SHARE,
        ),
        "stop_order_at_most_share": quote(
            percent(at_most[plateau]),
            f"the share of China's baseline hashrate at most under a stop order on "
            f"{day_text(plateau)}",
            pick(EXPOSURE, "at_most_share_of_china_pct", where=on_plateau), fmt=SHARE,
        ),
        "stop_order_at_most_before_national": quote(
            percent(at_most[before.index].max()),
            "the highest share at most under a stop order before the national ban",
            pick(EXPOSURE, "at_most_share_of_china_pct", op="max", where=ahead), fmt=SHARE,
            filter=earlier,
        ),
        "stop_order_full_day": quote(
            day_text(full.index[0]), "the first day all of China was under a stop order",
            pick(EXPOSURE, "date", op="min", where=everywhere),
            fmt=DAY, filter="every day with all of China under an order",
        ),
        "wet_season_month": quote(
            month_text(wet_month),
            "the month Sichuan's share of China peaked in the year before the baseline month",
            pick(EXPOSURE, "weights_month", where=[rainy, _is("date", plateau)]), fmt=MONTH,
        ),
        "wet_stop_order_certain_share": quote(
            percent(wet.loc[plateau, "certain_share_of_china_pct"]),
            f"the share of China's hashrate, weighted by {month_text(wet_month)}, certainly "
            f"under a stop order on {day_text(plateau)}",
            pick(EXPOSURE, "certain_share_of_china_pct", where=wet_on_plateau), fmt=SHARE,
        ),
        "wet_stop_order_at_most_share": quote(
            percent(wet.loc[plateau, "at_most_share_of_china_pct"]),
            f"the share of China's hashrate, weighted by {month_text(wet_month)}, at most "
            f"under a stop order on {day_text(plateau)}",
            pick(EXPOSURE, "at_most_share_of_china_pct", where=wet_on_plateau), fmt=SHARE,
        ),
        "wet_stop_order_at_most_before_national": quote(
            percent(wet_before["at_most_share_of_china_pct"].max()),
            f"the highest share, weighted by {month_text(wet_month)}, at most under a stop "
            "order before the national ban",
            pick(EXPOSURE, "at_most_share_of_china_pct", op="max", where=wet_ahead), fmt=SHARE,
            filter=earlier,
        ),
    }  # fmt: skip


def shutdowns_group(shutdowns: pd.DataFrame, shutdown_exposure: pd.DataFrame) -> dict[str, str]:
    """The measures, their days, and the share of China's hashrate under stop orders."""
    return merge(
        measure_days(shutdowns),
        shutdown_numbers(shutdowns),
        exposure_numbers(shutdown_exposure),
    )
