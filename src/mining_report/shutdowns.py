"""The crackdown's measures, and how much of China's hashrate each one reached."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .tables import finalize
from .vocabularies import CCAF_PROVINCES, CONFIDENCE_LEVELS, JURISDICTIONS, MEASURES

#: Measures that order mining to stop: what `shutdown_exposure` counts.
STOP_ORDERS = ("ban", "shutdown_order")


class Shutdowns(pa.DataFrameModel):
    """One row per crackdown measure, with the hashrate share its jurisdiction held.

    Exposure is the jurisdiction's share in the last CCAF month before the month of
    the announcement: a province's share from the province table, a national
    measure's from the country table (all of China). Provinces that CCAF folds into
    "Other", and measures without an exact announcement day, have an unknown
    exposure; ``exposure_note`` says why. Key: event_id.
    """

    event_id: Series[str] = pa.Field(str_matches=r"^E\d{2}$", description="Event identifier")
    date_announced: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="Day the measure was announced (missing: day unknown)"
    )
    date_effective: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="Stated deadline or effective day, if any"
    )
    jurisdiction: Series[str] = pa.Field(
        isin=list(JURISDICTIONS), description="Province or national"
    )
    authority: Series[str] = pa.Field(description="Issuing body as the sources name it")
    measure: Series[str] = pa.Field(isin=list(MEASURES), description="Kind of measure")
    summary: Series[str] = pa.Field(description="What the measure did, in the project's words")
    confidence: Series[str] = pa.Field(
        isin=list(CONFIDENCE_LEVELS), description="How well the date is attested"
    )
    source_publisher: Series[str] = pa.Field(description="Publisher of the primary source")
    source_url: Series[str] = pa.Field(
        str_matches=r"^https?://", description="Primary source (http or https)"
    )
    exposure_month: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="CCAF month the exposure is read from"
    )
    exposure_share_of_china_pct: Series[float] = pa.Field(
        ge=0,
        le=100,
        nullable=True,
        description="Jurisdiction's share of China's hashrate in the exposure month",
        metadata={"unit": "percent"},
    )
    exposure_share_of_global_pct: Series[float] = pa.Field(
        ge=0,
        le=100,
        nullable=True,
        description="Jurisdiction's share of global hashrate in the exposure month",
        metadata={"unit": "percent"},
    )
    exposure_note: Series[str] = pa.Field(
        description="Where the exposure comes from, or why it is unknown"
    )

    class Config:
        strict = True
        coerce = True
        unique = ["event_id"]


def _last_month_before(months: pd.Series, day: pd.Timestamp) -> pd.Timestamp | None:
    earlier = months[months < day.to_period("M").to_timestamp()]
    return None if earlier.empty else earlier.max()


def _exposure(
    event: pd.Series, provinces: pd.DataFrame, countries: pd.DataFrame
) -> tuple[pd.Timestamp | None, float | None, float | None, str]:
    day, where = event["date_announced"], event["jurisdiction"]
    if pd.isna(day):
        return None, None, None, "no exact announcement day, so no month to read"
    if where == "national":
        china = countries[countries["country"] == "China"].set_index("month")["share_pct"]
        month = _last_month_before(pd.Series(china.index), day)
        if month is None:
            return None, None, None, "announced before CCAF's first month"
        note = f"all of China, CCAF {month:%Y-%m}"
        if china[month] == 0:
            note += ": CCAF attributed no hashrate to China that month"
        return month, 100.0, float(china[month]), note
    if where not in CCAF_PROVINCES:
        return None, None, None, f"CCAF folds {where} into Other: exposure unknown"
    month = _last_month_before(provinces["month"], day)
    row = provinces[(provinces["month"] == month) & (provinces["province"] == where)]
    if month is None or row.empty:
        when = "before CCAF's first month" if month is None else f"in {month:%Y-%m}"
        return month, None, None, f"CCAF has no {where} row {when}"
    note = f"CCAF {month:%Y-%m}"
    if (provinces.loc[provinces["month"] == month, "share_of_china_pct"] == 0).all():
        note += ": CCAF attributed no hashrate to China that month"
    share = row.iloc[0]
    return month, float(share["share_of_china_pct"]), float(share["share_of_global_pct"]), note


def shutdowns(
    events: pd.DataFrame, hashrate_by_province: pd.DataFrame, hashrate_by_country: pd.DataFrame
) -> pd.DataFrame:
    """Every measure with its jurisdiction's share of hashrate just before it."""
    exposures = [
        _exposure(event, hashrate_by_province, hashrate_by_country)
        for _, event in events.iterrows()
    ]
    month, china, world, note = zip(*exposures, strict=True) if exposures else ([], [], [], [])
    table = events[
        [
            "event_id", "date_announced", "date_effective", "jurisdiction", "authority",
            "measure", "summary", "confidence", "source_publisher", "source_url",
        ]
    ].assign(
        exposure_month=pd.to_datetime(pd.Series(month, index=events.index, dtype="object")),
        exposure_share_of_china_pct=pd.Series(china, index=events.index, dtype="float64"),
        exposure_share_of_global_pct=pd.Series(world, index=events.index, dtype="float64"),
        exposure_note=list(note),
    )  # fmt: skip
    return finalize(table, Shutdowns)


class ShutdownExposure(pa.DataFrameModel):
    """For each day of the year, the share of China's pre-crackdown hashrate under a stop order.

    A province is under a stop order (a ban or a shutdown order) from the order's
    effective day, or its announcement day when no effective day is given, and is
    counted once however many orders follow. Shares are those of the pre-crackdown
    month set in config/config.yaml. Provinces that CCAF folds into "Other" cannot
    be counted until a national order covers all of China, so before that the share
    is a lower bound. Key: date.
    """

    date: Series[pd.Timestamp] = pa.Field(description="Day")
    share_of_china_under_order_pct: Series[float] = pa.Field(
        ge=0,
        le=100,
        description="Cumulative share of China's pre-crackdown hashrate under a stop order",
        metadata={"unit": "percent"},
    )
    jurisdictions_under_order: Series[str] = pa.Field(
        description="Jurisdictions under a stop order by that day, ' ; '-separated"
    )
    orders_from_today: Series[str] = pa.Field(
        description="Stop orders in force from that day (event ids), ' ; '-separated"
    )

    class Config:
        strict = True
        coerce = True
        unique = ["date"]

    @pa.check("share_of_china_under_order_pct", name="never_decreases")
    def never_decreases(cls, share: Series[float]) -> bool:
        return bool(share.is_monotonic_increasing)


def shutdown_exposure(
    events: pd.DataFrame, hashrate_by_province: pd.DataFrame, year: int, baseline_month: str
) -> pd.DataFrame:
    """Cumulative share of China's pre-crackdown hashrate under a ban or shutdown order."""
    base = hashrate_by_province[hashrate_by_province["month"] == pd.Timestamp(baseline_month)]
    if base.empty:
        raise ValueError(f"no CCAF province shares for the baseline month {baseline_month}")
    baseline = base.set_index("province")["share_of_china_pct"]
    orders = events[events["measure"].isin(STOP_ORDERS)].copy()
    orders["in_force"] = orders["date_effective"].fillna(orders["date_announced"])
    orders = orders.dropna(subset=["in_force"]).sort_values(["in_force", "event_id"])

    rows = []
    covered: dict[str, None] = {}  # insertion-ordered set of jurisdictions
    for day in pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D"):
        today = orders[orders["in_force"] == day]
        for where in today["jurisdiction"]:
            covered.setdefault(where)
        if "national" in covered:
            share = 100.0  # all of China, whatever CCAF's rounding makes the sum
        else:
            share = float(sum(baseline.get(where, 0.0) for where in covered))
        rows.append(
            {
                "date": day,
                "share_of_china_under_order_pct": round(share, 4),
                "jurisdictions_under_order": " ; ".join(covered),
                "orders_from_today": " ; ".join(today["event_id"]),
            }
        )
    return finalize(pd.DataFrame(rows), ShutdownExposure)
