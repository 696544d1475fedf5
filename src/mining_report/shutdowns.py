"""The crackdown's measures, and how much of China's hashrate each one reached."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .tables import finalize
from .vocabularies import (
    CCAF_PROVINCES,
    CONFIDENCE_LEVELS,
    JURISDICTIONS,
    MEASURES,
    SCOPES,
    STAGES,
)

#: Measures that order mining to stop: what `shutdown_exposure` counts.
STOP_ORDERS = ("ban", "shutdown_order")
#: Scopes of a measure that cover a whole province (or all of China) with certainty.
WHOLE_SCOPES = ("national", "province")


class Shutdowns(pa.DataFrameModel):
    """One row per crackdown measure, with the hashrate share its jurisdiction held.

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
    jurisdiction: Series[str] = pa.Field(
        isin=list(JURISDICTIONS), description="Province or national"
    )
    authority: Series[str] = pa.Field(description="Issuing body as the sources name it")
    measure: Series[str] = pa.Field(isin=list(MEASURES), description="Kind of measure")
    scope: Series[str] = pa.Field(
        isin=list(SCOPES), description="Whom the measure reaches, from all of China to one person"
    )
    stage: Series[str] = pa.Field(isin=list(STAGES), description="Draft for comment, or final")
    summary: Series[str] = pa.Field(description="What the measure did, in the project's words")
    confidence: Series[str] = pa.Field(
        isin=list(CONFIDENCE_LEVELS), description="How well the date is attested"
    )
    source_publisher: Series[str] = pa.Field(description="Publisher of the primary source")
    source_url: Series[str] = pa.Field(
        str_matches=r"^https?://", description="Primary source (http or https)"
    )
    exposure_month: Series[pd.Timestamp] = pa.Field(
        description="CCAF month the exposure is read from: the baseline month"
    )
    exposure_share_of_china_pct: Series[float] = pa.Field(
        ge=0,
        le=100,
        nullable=True,
        description="Jurisdiction's share of China's hashrate in the baseline month",
        metadata={"unit": "percent"},
    )
    exposure_share_of_global_pct: Series[float] = pa.Field(
        ge=0,
        le=100,
        nullable=True,
        description="Jurisdiction's share of global hashrate in the baseline month",
        metadata={"unit": "percent"},
    )
    exposure_is_upper_bound: Series[bool] = pa.Field(
        description="True when the measure is narrower than its province: the share is at most"
    )
    exposure_note: Series[str] = pa.Field(
        description="Where the exposure comes from, or why it is unknown"
    )

    class Config:
        strict = True
        coerce = True
        unique = ["event_id"]


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


class ShutdownExposure(pa.DataFrameModel):
    """For each day of the year, how much of China's baseline hashrate was under a stop order.

    Two bounds, so that neither claims more than the sources show. ``certain``
    counts a province from the announcement of a final ban or shutdown order that
    covers the whole province (or all of China); ``at_most`` also counts the whole
    province of an order that reached only part of it (a city, an industrial park,
    a company), and CCAF's whole "Other" once an order reaches a province CCAF folds
    into it. Every measure is dated by its announcement, the one date every dated
    measure has. Drafts for comment are not orders. Shares are those of the
    baseline month set in config/config.yaml; a national order covers all of China.
    Key: date.
    """

    date: Series[pd.Timestamp] = pa.Field(description="Day")
    certain_share_of_china_pct: Series[float] = pa.Field(
        ge=0,
        le=100,
        description="Share of China's baseline hashrate certainly under a stop order",
        metadata={"unit": "percent"},
    )
    at_most_share_of_china_pct: Series[float] = pa.Field(
        ge=0,
        le=100,
        description="Share of China's baseline hashrate at most under a stop order",
        metadata={"unit": "percent"},
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
        strict = True
        coerce = True
        unique = ["date"]

    @pa.check("certain_share_of_china_pct", "at_most_share_of_china_pct", name="never_decreases")
    def never_decreases(cls, share: Series[float]) -> bool:
        return bool(share.is_monotonic_increasing)

    @pa.dataframe_check(name="certain_within_at_most")
    def certain_within_at_most(cls, df: pd.DataFrame) -> Series[bool]:
        return df["certain_share_of_china_pct"] <= df["at_most_share_of_china_pct"]


def stop_orders(events: pd.DataFrame) -> pd.DataFrame:
    """Final bans and shutdown orders with a known announcement day, in order."""
    orders = events[events["measure"].isin(STOP_ORDERS) & (events["stage"] == "final")]
    return orders.dropna(subset=["date_announced"]).sort_values(["date_announced", "event_id"])


def _joined(names: dict[str, None]) -> str | None:
    return " ; ".join(names) or None


def shutdown_exposure(
    events: pd.DataFrame, hashrate_by_province: pd.DataFrame, year: int, baseline_month: str
) -> pd.DataFrame:
    """Day by day, the share of China's baseline hashrate certainly and at most under order."""
    month = pd.Timestamp(baseline_month)
    check_baseline_precedes(events, month)
    baseline = baseline_shares(hashrate_by_province, month, "province")["share_of_china_pct"]
    orders = stop_orders(events)
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
    return finalize(pd.DataFrame(rows), ShutdownExposure)
