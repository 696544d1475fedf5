"""(1) The crackdown timeline: every dated measure by jurisdiction."""

from __future__ import annotations

import altair as alt
import pandas as pd

from mining_report.charts.common import SAID, SOURCE_ROW, _iso, _title, said, with_source
from mining_report.charts.style import CATEGORICAL, SHAPES, theme
from mining_report.formatting import day_text
from mining_report.vocabularies import MEASURE_LABELS, MEASURES, SCOPES


def crackdown_timeline(shutdowns: pd.DataFrame) -> alt.TopLevelMixin:
    """(1) Every dated measure by jurisdiction, sized by the share of China it could reach."""
    dated = shutdowns.dropna(subset=["date_announced"]).copy()
    baseline = f"{dated['exposure_month'].iloc[0]:%B %Y}"
    dated["exposure"] = dated["exposure_share_of_china_pct"].fillna(-1)
    dated["exposure_text"] = [
        "unknown" if pd.isna(v) else f"{'at most ' if bound else ''}{v:.2f}\u00a0% of China"
        for v, bound in zip(
            dated["exposure_share_of_china_pct"], dated["exposure_is_upper_bound"], strict=True
        )
    ]
    dated["where"] = dated["jurisdiction"].replace({"national": "All of China"})
    dated["kind"] = dated["measure"].map(MEASURE_LABELS).str.capitalize()
    dated["reach"] = dated["scope"].map(SCOPES)
    dated["stage_text"] = dated["stage"].map({"draft": "draft for comment", "final": "final"})
    dated["source_row"] = [
        f"Crackdown measures: {where}, {MEASURE_LABELS[measure]} of {day_text(day)}"
        for where, measure, day in zip(
            dated["where"], dated["measure"], dated["date_announced"], strict=True
        )
    ]
    dated["description"] = said(
        dated,
        lambda r: (
            f"{r['where']}: {r['kind'].lower()} ({r['stage_text']}), announced "
            f"{day_text(r['date_announced'])}"
            + (" (the day is uncertain)" if r["confidence"] == "uncertain" else "")
            + f"; reach: {r['reach']}; share of China's hashrate in {baseline}: "
            f"{r['exposure_text']}"
        ),
    )
    order = dated.groupby("where")["date_announced"].min().sort_values().index.tolist()
    data = _iso(dated, "date_announced")[
        ["date_announced", "where", "kind", "reach", "stage_text", "authority", "summary",
         "confidence", "exposure", "exposure_text", "source_publisher", "source_row",
         "description"]
    ]  # fmt: skip
    first, last = dated["date_announced"].min(), dated["date_announced"].max()
    kinds = [MEASURE_LABELS[m].capitalize() for m in MEASURES if m in set(dated["measure"])]
    chart = (
        alt.Chart(data)
        .mark_point(filled=True, stroke="#333333", strokeWidth=0.5)
        .encode(
            # The largest symbols are some 30 px wide: padding keeps the first and last
            # measures clear of the jurisdictions' names and of the chart's edge.
            x=alt.X(
                "date_announced:T",
                title=None,
                scale=alt.Scale(padding=16),
                # Months closer than this drop every other label, as on a phone.
                axis=alt.Axis(format="%b %Y", labelAngle=0, labelSeparation=8),
            ),
            y=alt.Y("where:N", title=None, sort=order),
            color=alt.Color(
                "kind:N", title="Measure", scale=alt.Scale(domain=kinds, range=CATEGORICAL)
            ),
            shape=alt.Shape("kind:N", title="Measure", scale=alt.Scale(domain=kinds, range=SHAPES)),
            size=alt.Size(
                "exposure:Q",
                title=f"Share of China, {baseline} (%)",
                scale=alt.Scale(domain=[-1, 100], range=[30, 700]),
                legend=alt.Legend(values=[10, 50, 100]),
            ),
            tooltip=[
                alt.Tooltip("date_announced:T", title="Announced", format="%-d %B %Y"),
                alt.Tooltip("where:N", title="Where"),
                alt.Tooltip("kind:N", title="Measure"),
                alt.Tooltip("reach:N", title="Reach"),
                alt.Tooltip("stage_text:N", title="Stage"),
                alt.Tooltip("authority:N", title="Authority"),
                alt.Tooltip("exposure_text:N", title=f"Share of hashrate, {baseline}"),
                alt.Tooltip("confidence:N", title="Date confidence"),
                alt.Tooltip("summary:N", title="What it did"),
                alt.Tooltip("source_publisher:N", title="Source"),
                SOURCE_ROW,
            ],
            # A draft is drawn as an outline; a measure whose day is uncertain, pale.
            fillOpacity=alt.when("datum.stage_text !== 'final'")
            .then(alt.value(0))
            .when("datum.confidence === 'uncertain'")
            .then(alt.value(0.2))
            .otherwise(alt.value(0.85)),
            description=SAID,
        )
        .properties(
            height=340,
            title=_title(
                "The crackdown, measure by measure",
                f"Dated measures, {day_text(first)} to {day_text(last)}, by jurisdiction; size: "
                f"the jurisdiction's share of China's hashrate in {baseline} (smallest: unknown); "
                "outline: a draft for comment; pale: the day is uncertain",
            ),
            description=(
                f"Timeline of {len(data)} dated crackdown measures from {day_text(first)} to "
                f"{day_text(last)}, one row per jurisdiction, coloured by kind of measure and "
                f"sized by the share of China's hashrate the jurisdiction held in {baseline}. "
                + _timeline_finding(dated)
            ),
        )
    )
    return theme(
        with_source(
            chart,
            "crackdown measures",
            f"the {len(data)} dated measures, {day_text(first)} to {day_text(last)}",
        )
    )


def _timeline_finding(dated: pd.DataFrame) -> str:
    """The first measure, and the first final national ban, in words."""
    ordered = dated.sort_values(["date_announced", "event_id"])
    first = ordered.iloc[0]
    draft = "draft " if first["stage"] == "draft" else ""
    text = (
        f"The first was a {draft}{MEASURE_LABELS[first['measure']]} in {first['where']} on "
        f"{day_text(first['date_announced'])}"
    )
    bans = ordered[
        (ordered["jurisdiction"] == "national")
        & (ordered["measure"] == "ban")
        & (ordered["stage"] == "final")
    ]
    if not bans.empty:
        text += f"; the national ban came on {day_text(bans['date_announced'].iloc[0])}"
    return text + "."
