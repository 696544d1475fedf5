"""(4) Network hashrate with the main measures and the largest difficulty drop."""

from __future__ import annotations

import altair as alt
import pandas as pd

from mining_report.charts.common import (
    SAID,
    SOURCE_COINMETRICS,
    SOURCE_ROW,
    _iso,
    _lowest_week,
    _title,
    in_study_window,
    said,
    with_source,
)
from mining_report.charts.style import theme
from mining_report.formatting import NBSP, day_text
from mining_report.vocabularies import MEASURE_LABELS

#: How a time chart's label names a measure narrower than its province (labels stay
#: short: they must fit beside their day on a phone).
PART_OF = {
    "prefecture or city": "city",
    "park or company": "park",
    "person": "official",
}
#: A time chart's short name of a measure.
SHORT_MEASURES = {"shutdown_order": "shutdown"}


def main_measures(shutdowns: pd.DataFrame, year: int = 2021) -> pd.DataFrame:
    """The measures marked on time charts: final stop orders, and national statements and
    bans. A draft is not marked; a measure narrower than its province says so."""
    dated = shutdowns.dropna(subset=["date_announced"])
    dated = dated[(dated["date_announced"].dt.year == year) & (dated["stage"] == "final")]
    national = (dated["jurisdiction"] == "national") & dated["measure"].isin(
        ["policy_statement", "ban"]
    )
    stops = (dated["jurisdiction"] != "national") & dated["measure"].isin(["shutdown_order", "ban"])
    chosen = dated[national | stops].sort_values("date_announced")
    part = chosen["scope"].map(PART_OF)
    # One mark per jurisdiction, reach and measure: the first.
    chosen = chosen.assign(part=part.fillna("")).drop_duplicates(
        ["jurisdiction", "part", "measure"]
    )
    where = chosen["jurisdiction"].where(chosen["jurisdiction"] != "national", "China")
    where = where + chosen["part"].map(lambda p: f" {p}" if p else "")
    what = chosen["measure"].map(lambda m: SHORT_MEASURES.get(m, MEASURE_LABELS[m]))
    return chosen.assign(label=where + ": " + what)


def network_hashrate(
    price_trends: pd.DataFrame, shutdowns: pd.DataFrame, difficulty_adjustments: pd.DataFrame
) -> alt.TopLevelMixin:
    """(4) Weekly mean hashrate with the main measures and the largest difficulty drop."""
    price_trends = in_study_window(price_trends, "week_start")
    difficulty_adjustments = in_study_window(difficulty_adjustments, "date")
    data = _iso(price_trends[["week_start", "hashrate_ehs_7d", "difficulty"]], "week_start")
    data["source_row"] = [
        f"Weekly price table: week of {day_text(week)} (Coin Metrics, seven daily rows)"
        for week in price_trends["week_start"]
    ]
    data["description"] = said(
        price_trends,
        lambda r: (
            f"Week of {day_text(r['week_start'])}: hashrate {r['hashrate_ehs_7d']:,.1f} EH/s "
            "(weekly mean)"
        ),
    )
    first, last = data["week_start"].min(), data["week_start"].max()
    chosen = main_measures(shutdowns)
    measures = _iso(chosen, "date_announced")[["date_announced", "label", "summary"]]
    measures["description"] = said(
        chosen, lambda r: f"{r['label']}, announced {day_text(r['date_announced'])}"
    )
    measures["row"] = range(len(measures))
    drop = difficulty_adjustments.sort_values("change_pct").iloc[[0]].copy()
    # Dated as the text dates it: the day the adjustment block was mined, when known.
    if "mixed_day" in drop:
        drop["date"] = drop["mixed_day"].fillna(drop["date"])
    drop = _iso(drop, "date").assign(
        text=lambda d: (
            "difficulty " + d["change_pct"].map(lambda v: f"{v:+.1f}{NBSP}%".replace("-", "\u2212"))
        ),
        description=lambda d: (
            "The largest difficulty adjustment: "
            + d["text"].str.removeprefix("difficulty ")
            + ", "
            + pd.to_datetime(d["date"]).map(day_text)
        ),
    )
    line = (
        alt.Chart(data)
        .mark_line(color="#1f4e79", strokeWidth=2)
        .encode(
            x=alt.X("week_start:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
            y=alt.Y("hashrate_ehs_7d:Q", title="Hashrate, weekly mean (EH/s)"),
            tooltip=[
                alt.Tooltip("week_start:T", title="Week of", format="%-d %B %Y"),
                alt.Tooltip("hashrate_ehs_7d:Q", title="Hashrate (EH/s)", format=".1f"),
                alt.Tooltip("difficulty:Q", title="Difficulty", format=".4~s"),
                SOURCE_ROW,
            ],
            description=SAID,
        )
    )
    rules = (
        alt.Chart(measures)
        .mark_rule(color="#c0392b", strokeDash=[3, 3])
        .encode(
            x="date_announced:T",
            tooltip=[
                alt.Tooltip("label:N", title="Measure"),
                alt.Tooltip("date_announced:T", title="Announced", format="%-d %B %Y"),
                alt.Tooltip("summary:N", title="What it did"),
            ],
            description=SAID,
        )
    )
    labels = (  # the rules say the same to a screen reader
        alt.Chart(measures)
        .mark_text(align="left", angle=0, dx=3, fontSize=9, color="#922b21", aria=False)
        .encode(
            x="date_announced:T",
            y=alt.Y("row:Q", scale=alt.Scale(domain=[-1, len(measures) + 6]), axis=None),
            text="label:N",
        )
    )
    mark = (
        alt.Chart(drop)
        .mark_text(
            align="left", baseline="top", dx=4, fontSize=10, fontWeight="bold", color="#1f4e79"
        )
        .encode(x="date:T", y=alt.value(4), text="text:N", description=SAID)
    )
    chart = (
        alt.layer(line, rules, labels.properties(), mark)
        .resolve_scale(y="independent")
        .properties(
            title=_title(
                "Network hashrate through the crackdown",
                f"Weekly mean of daily hashrate estimates, {day_text(first)} to "
                f"{day_text(last)}; dashed: main crackdown measures. " + SOURCE_COINMETRICS,
            ),
            description=(
                f"Line chart of Bitcoin's weekly mean hashrate from {day_text(first)} to "
                f"{day_text(last)}, with the main crackdown measures of 2021 marked and the "
                f"largest difficulty adjustment ({drop['text'].iloc[0]} on "
                f"{day_text(drop['date'].iloc[0])}) labelled. "
                + _lowest_week(price_trends, "hashrate_ehs_7d", "the weekly mean", "EH/s")
            ),
        )
    )
    return theme(
        with_source(
            chart,
            "price trends (weekly)",
            f"every complete week, {day_text(first)} to {day_text(last)}",
        )
    )
