"""The crackdown's measures, and how much of China's hashrate each one reached."""

from __future__ import annotations

import pandas as pd

from mining_report.derive.conventions import finalize
from mining_report.derive.models.shutdowns import ShutdownExposure, Shutdowns
from mining_report.vocabularies import CCAF_PROVINCES, SCOPES

#: Measures that stop mining: what `shutdown_exposure` counts. A cut-off of the
#: miners' power stops them as surely as an order to close.
STOP_ORDERS = ("ban", "shutdown_order", "power_cutoff")
#: The province whose share of China swings most with the seasons (hydropower).
WET_SEASON_PROVINCE = "Sichuan"
#: Scopes of a measure that cover a whole province (or all of China) with certainty.
WHOLE_SCOPES = ("national", "province")


def baseline_shares(hashrate: pd.DataFrame, month: pd.Timestamp, key: str) -> pd.DataFrame:
    """The rows of one CCAF table in the baseline month; a missing month is an error."""
    rows = hashrate[hashrate["month"] == month]
    if rows.empty:
        raise ValueError(f"no CCAF shares for the baseline month {month:%Y-%m}")
    return rows.set_index(key)


def check_baseline_precedes(events: pd.DataFrame, baseline_month: pd.Timestamp) -> None:
    """The baseline must end before the first announced measure, or it is not a 'before'."""
    first = events.dropna(subset=["date_announced"]).sort_values("date_announced").iloc[0]
    month_end = baseline_month + pd.offsets.MonthBegin(1)
    if first["date_announced"] < month_end:
        raise ValueError(
            f"the baseline month {baseline_month:%Y-%m} does not end before the first "
            f"measure ({first['event_id']}, announced {first['date_announced']:%Y-%m-%d}); "
            "set analysis.baseline_month to an earlier month"
        )


def _exposure(
    event: pd.Series, provinces: pd.DataFrame, countries: pd.DataFrame, month: pd.Timestamp
) -> tuple[float | None, float | None, bool, str]:
    where, partial = event["jurisdiction"], event["scope"] not in WHOLE_SCOPES
    if where == "national":
        return (
            100.0,
            float(countries.loc["China", "share_pct"]),
            False,
            (f"all of China in {month:%B %Y}"),
        )
    if where not in CCAF_PROVINCES or where not in provinces.index:
        return None, None, partial, f"unknown: CCAF counts {where} with the other provinces"
    share = provinces.loc[where]
    note = f"{where}'s share in {month:%B %Y}"
    if partial:
        note = f"at most {note}: the measure reached {SCOPES[event['scope']]}"
    return float(share["share_of_china_pct"]), float(share["share_of_global_pct"]), partial, note


def shutdowns(
    events: pd.DataFrame,
    hashrate_by_province: pd.DataFrame,
    hashrate_by_country: pd.DataFrame,
    baseline_month: str,
) -> pd.DataFrame:
    """Every measure with its jurisdiction's share of hashrate in the baseline month."""
    month = pd.Timestamp(baseline_month)
    check_baseline_precedes(events, month)
    provinces = baseline_shares(hashrate_by_province, month, "province")
    countries = baseline_shares(hashrate_by_country, month, "country")
    exposures = [_exposure(event, provinces, countries, month) for _, event in events.iterrows()]
    china, world, bound, note = zip(*exposures, strict=True) if exposures else ([], [], [], [])
    table = events[
        [
            "event_id", "date_announced", "date_effective", "jurisdiction", "authority",
            "measure", "scope", "stage", "summary", "confidence", "source_publisher",
            "source_url",
        ]
    ].assign(
        exposure_month=month,
        exposure_share_of_china_pct=pd.Series(china, index=events.index, dtype="float64"),
        exposure_share_of_global_pct=pd.Series(world, index=events.index, dtype="float64"),
        exposure_is_upper_bound=pd.Series(bound, index=events.index, dtype="bool"),
        exposure_note=list(note),
    )  # fmt: skip
    return finalize(table, Shutdowns)


def stop_orders(events: pd.DataFrame) -> pd.DataFrame:
    """Final bans and shutdown orders with a known announcement day, in order."""
    orders = events[events["measure"].isin(STOP_ORDERS) & (events["stage"] == "final")]
    return orders.dropna(subset=["date_announced"]).sort_values(["date_announced", "event_id"])


def _joined(names: dict[str, None]) -> str | None:
    return " ; ".join(names) or None


def wet_season_month(hashrate_by_province: pd.DataFrame, baseline_month: str) -> pd.Timestamp:
    """The month of the year before the baseline in which Sichuan's share of China peaked.

    The baseline month falls in the dry season, when Sichuan's hydropower is
    scarce; weighting the provinces by this month as well shows how much the
    choice of month moves the exposure bounds. Only months that list every
    province of the baseline month qualify.
    """
    month = pd.Timestamp(baseline_month)
    provinces = set(baseline_shares(hashrate_by_province, month, "province").index)
    listed = hashrate_by_province.groupby("month")["province"].agg(set)
    whole = listed[listed.map(provinces.issubset)].index  # a month lacking a province is no weight
    year_before = hashrate_by_province[
        (hashrate_by_province["province"] == WET_SEASON_PROVINCE)
        & hashrate_by_province["month"].isin(whole)
        & (hashrate_by_province["month"] < month)
        & (hashrate_by_province["month"] >= month - pd.DateOffset(years=1))
    ]
    if year_before.empty:
        raise ValueError(
            f"no CCAF shares for {WET_SEASON_PROVINCE} in the year before {month:%Y-%m}"
        )
    peak = year_before["share_of_china_pct"].idxmax()  # the first month at the peak
    return pd.Timestamp(year_before.loc[peak, "month"])


def _daily_bounds(orders: pd.DataFrame, baseline: pd.Series, year: int) -> list[dict[str, object]]:
    """Day by day, the two bounds of the share under order, with one month's weights."""
    rows = []
    certain: dict[str, None] = {}  # insertion-ordered sets of jurisdictions
    partial: dict[str, None] = {}
    by_day: dict[pd.Timestamp, list] = {}
    for order in orders.itertuples():  # orders before the year count from its first day
        by_day.setdefault(max(order.date_announced, pd.Timestamp(f"{year}-01-01")), []).append(
            order
        )
    for day in pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D"):
        today = by_day.get(day, [])
        for order in today:
            target = certain if order.scope in WHOLE_SCOPES else partial
            target.setdefault(order.jurisdiction)
        if "national" in certain:
            low = high = 100.0  # all of China, whatever CCAF's rounding makes the sum
        else:
            low = sum(float(baseline.get(where, 0.0)) for where in certain)
            reached = set(certain) | set(partial)
            high = sum(float(baseline.get(where, 0.0)) for where in reached)
            if any(where not in baseline.index for where in reached):
                high += float(baseline.get("Other", 0.0))  # somewhere inside "Other"
        rows.append(
            {
                "date": day,
                "certain_share_of_china_pct": round(low, 4),
                "at_most_share_of_china_pct": round(min(high, 100.0), 4),
                "provinces_certain": _joined(certain),
                "provinces_partial": _joined({p: None for p in partial if p not in certain}),
                "orders_from_today": _joined(
                    {o.event_id: None for o in today if o.date_announced == day}
                ),
            }
        )
    return rows


def shutdown_exposure(
    events: pd.DataFrame, hashrate_by_province: pd.DataFrame, year: int, baseline_month: str
) -> pd.DataFrame:
    """Day by day, the share of China's hashrate certainly and at most under a stop order.

    Twice: with the provinces weighted by the baseline month, and by the wet-season
    month of the year before it (`wet_season_month`).
    """
    month = pd.Timestamp(baseline_month)
    check_baseline_precedes(events, month)
    orders = stop_orders(events)
    frames = []
    baseline = baseline_shares(hashrate_by_province, month, "province")
    wet = wet_season_month(hashrate_by_province, baseline_month)
    for weights, weights_month, shares in (
        ("baseline", month, baseline),
        ("wet season", wet, baseline_shares(hashrate_by_province, wet, "province")),
    ):
        frame = pd.DataFrame(_daily_bounds(orders, shares["share_of_china_pct"], year))
        frames.append(frame.assign(weights=weights, weights_month=weights_month))
    table = pd.concat(frames, ignore_index=True)
    first = ["weights", "weights_month", "date"]
    table = table[first + [c for c in table.columns if c not in first]]
    return finalize(table, ShutdownExposure)
