"""Altair charts: one function per figure, one shared theme, three saved forms.

Each chart is saved as a Vega-Lite spec (drawn in the HTML page by vega-embed, at
the width of its container) and as SVG and PDF at a fixed print width (PDF for the
Typst publication: vl-convert embeds the chart's fonts, so no system font is needed).
Every chart function takes cleaned tables by name and returns a themed chart.
"""

from __future__ import annotations

import copy
import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert

from .formatting import NBSP, day_text, month_text, typographic
from .io import write_bytes, write_text
from .vocabularies import (
    FT_TRACKED_FIGURE,
    MEASURE_LABELS,
    MEASURES,
    ORDINALS,
    SCOPES,
    STUDY_START,
)

#: Liberation Sans is bundled with vl-convert, so static charts always get it.
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
PRINT_WIDTH = 600
HEIGHT = 300
#: Colours from Okabe and Ito's palette, chosen to stay apart for readers with the
#: common colour-vision deficiencies (tests/test_charts.py simulates them), and a
#: light grey for "Other" and for the least-attested figures.
BLUE, VERMILLION, SKY, ORANGE, GREEN, PURPLE, BLACK, YELLOW = (
    "#0072B2", "#D55E00", "#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#000000", "#F0E442",
)  # fmt: skip
GREY = "#d5d8dc"
PALETTE = {
    "China": VERMILLION,
    "United States": BLUE,
    "Kazakhstan": SKY,
    "Russia": PURPLE,
    "Canada": GREEN,
    "Malaysia": ORANGE,
    "Iran": BLACK,
    "Germany": YELLOW,
    "Ireland": "#999999",
    "Other": GREY,
}
#: Nine distinguishable colours for categories without a colour of their own.
CATEGORICAL = [BLUE, VERMILLION, SKY, ORANGE, GREEN, PURPLE, BLACK, YELLOW, GREY]
CONFIDENCE_COLOURS = {"confirmed": BLUE, "single source": ORANGE, "uncertain": GREY}
#: A second carrier of a category besides its colour: point shapes and line dashes.
SHAPES = ["diamond", "triangle-down", "triangle-up", "cross", "triangle-right", "square", "circle"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3]]
SOURCE_CCAF = "Source: Cambridge Centre for Alternative Finance (CCAF), Bitcoin Mining Map"
SOURCE_COINMETRICS = "Source: Coin Metrics community data (CC BY-NC 4.0)"


def theme(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The report's shared look: one font, quiet grid, readable sizes."""
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=12, gridColor="#e5e5e5", labelLimit=180)
        .configure_legend(labelFontSize=11, titleFontSize=11, orient="bottom", columns=3)
        .configure_title(fontSize=14, anchor="start", subtitleColor="#555555", subtitleFontSize=11)
    )


SOURCE_ROW = alt.Tooltip("source_row:N", title="Source row")
#: What a screen reader says for one mark: the data's own ``description`` column,
#: written in the words of the axes and legends (without it, Vega-Lite would read
#: out field names).
SAID = alt.Description("description:N")


def said(frame: pd.DataFrame, words: Callable[[dict[str, Any]], str]) -> list[str]:
    """The ``description`` of each row (what a screen reader says for its mark)."""
    return [words(row) for row in frame.to_dict("records")]


def with_source(chart: alt.TopLevelMixin, tables: str, rows: str) -> alt.TopLevelMixin:
    """Say, in the spec's usermeta, which cleaned tables and rows the chart draws: the
    report prints it as the text of the chart's data link."""
    plural = "s" if " and " in tables else ""
    return chart.properties(usermeta={"data_source": f"the {tables} table{plural}, {rows}"})


def _title(text: str, subtitle: str) -> alt.Title:
    """A title with its subtitle wrapped to lines that fit the print width."""
    return alt.Title(text, subtitle=textwrap.wrap(subtitle, width=92))


def _iso(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Dates as ISO strings, so specs are stable and readable."""
    out = frame.copy()
    for column in columns:
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out


def in_study_window(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows from the start of the study window on: charts show the crackdown years, not
    a longer history, and run to the end of the data (a refreshed series included)."""
    return frame[frame[column] >= STUDY_START]


def crackdown_window(shutdowns: pd.DataFrame) -> tuple[str, str]:
    """From the first national policy statement to the first national ban."""
    national = shutdowns[shutdowns["jurisdiction"] == "national"].dropna(subset=["date_announced"])
    start = national.loc[national["measure"] == "policy_statement", "date_announced"].min()
    end = national.loc[national["measure"] == "ban", "date_announced"].min()
    if pd.isna(start) or pd.isna(end):
        raise ValueError("no national policy statement or ban to mark the crackdown window")
    return f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"


def _window_band(start: str, end: str, label: str = "crackdown") -> alt.Chart:
    band = pd.DataFrame({"start": [start], "end": [end], "label": [label]})
    rect = (
        alt.Chart(band)
        .mark_rect(color="#f2d7d5", opacity=0.6, aria=False)
        .encode(x="start:T", x2="end:T")
    )
    text = (
        alt.Chart(band)
        .mark_text(
            align="left", baseline="top", dx=3, dy=3, fontSize=10, color="#922b21", aria=False
        )
        .encode(x="start:T", y=alt.value(0), text="label:N")
    )
    return rect + text


def china_vs_destinations(
    hashrate_by_country: pd.DataFrame,
    shutdowns: pd.DataFrame,
    countries: tuple[str, ...] = ("China", "United States", "Kazakhstan", "Russia"),
) -> alt.TopLevelMixin:
    """(2) China's monthly share of global hashrate against the main destinations."""
    chosen = hashrate_by_country[hashrate_by_country["country"].isin(countries)]
    data = _iso(chosen, "month").assign(
        source_row=[
            f"CCAF country table: {country}, {month_text(month)}"
            for country, month in zip(chosen["country"], chosen["month"], strict=True)
        ],
        description=said(
            chosen,
            lambda r: (
                f"{r['country']}, {month_text(r['month'])}: {r['share_pct']:.2f}{NBSP}% of "
                f"global hashrate, {r['hashrate_ehs']:.2f} EH/s"
            ),
        ),
    )
    first, last = month_text(data["month"].min()), month_text(data["month"].max())
    start, end = crackdown_window(shutdowns)
    window = f"{day_text(start)} to {day_text(end)}"
    lines = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=18), strokeWidth=2)
        .encode(
            x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
            y=alt.Y("share_pct:Q", title="Share of global hashrate (%)"),
            color=alt.Color(
                "country:N",
                title=None,
                sort=list(countries),
                scale=alt.Scale(domain=list(countries), range=[PALETTE[c] for c in countries]),
            ),
            strokeDash=alt.StrokeDash(
                "country:N",
                title=None,
                sort=list(countries),
                scale=alt.Scale(domain=list(countries), range=DASHES[: len(countries)]),
            ),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("share_pct:Q", title="Share of global hashrate (%)", format=".2f"),
                alt.Tooltip("hashrate_ehs:Q", title="Hashrate (EH/s)", format=".2f"),
                SOURCE_ROW,
            ],
            description=SAID,
        )
    )
    chart = with_source(
        _window_band(start, end) + lines,
        "hashrate by country",
        f"{', '.join(countries)}, {first} to {last}",
    ).properties(
        title=_title(
            "China's share of Bitcoin hashrate against the main destinations",
            f"Monthly share of global hashrate, {first} to {last}; shaded: {window}. "
            + SOURCE_CCAF,
        ),
        description=(
            "Line chart of the monthly share of global Bitcoin hashrate for "
            + ", ".join(countries)
            + f" from {first} to {last}, with the crackdown window {window} shaded. "
            + _china_finding(hashrate_by_country)
        ),
    )
    return theme(chart)


def _china_finding(hashrate_by_country: pd.DataFrame) -> str:
    """China's share at the start, its first month at zero, and at the end, in words."""
    china = hashrate_by_country[hashrate_by_country["country"] == "China"].sort_values("month")
    zero = china[china["share_pct"] == 0]
    text = f"China's share went from {china['share_pct'].iloc[0]:.2f}{NBSP}% in "
    text += f"{month_text(china['month'].iloc[0])}"
    if not zero.empty:
        text += f" to zero in {month_text(zero['month'].iloc[0])}"
    return text + (
        f" and was {china['share_pct'].iloc[-1]:.2f}{NBSP}% in "
        f"{month_text(china['month'].iloc[-1])}."
    )


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


def provincial_composition(hashrate_by_province: pd.DataFrame) -> alt.TopLevelMixin:
    """(3) Each month's split of China's hashrate between provinces (bars: no interpolation)."""
    data = _iso(hashrate_by_province, "month")
    data = data[data.groupby("month")["share_of_china_pct"].transform("sum") > 0].copy()
    data["source_row"] = [
        f"CCAF province table: {province}, {month_text(month)}"
        for province, month in zip(data["province"], data["month"], strict=True)
    ]
    data["description"] = said(
        data,
        lambda r: (
            f"{r['province']}, {month_text(r['month'])}: {r['share_of_china_pct']:.2f}{NBSP}% of "
            f"China's hashrate, {r['share_of_global_pct']:.2f}{NBSP}% of the world's"
        ),
    )
    first, last = month_text(data["month"].min()), month_text(data["month"].max())
    provinces = (
        data.groupby("province")["share_of_china_pct"].mean().sort_values(ascending=False).index
    )
    order = [p for p in provinces if p != "Other"] + ["Other"]
    colours = dict(zip(order, CATEGORICAL[: len(order) - 1] + [GREY], strict=True))
    chart = (
        alt.Chart(data)
        .mark_bar(width={"band": 0.85})
        .encode(
            # A temporal axis (each bar spans its month) lets the chart fit its container.
            x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
            y=alt.Y("share_of_china_pct:Q", title="Share of China's hashrate (%)", stack="zero"),
            color=alt.Color(
                "province:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[colours[p] for p in order]),
            ),
            order=alt.Order("province_order:Q"),
            tooltip=[
                alt.Tooltip("province:N", title="Province"),
                SOURCE_ROW,
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("share_of_china_pct:Q", title="Share of China (%)", format=".2f"),
                alt.Tooltip("share_of_global_pct:Q", title="Share of world (%)", format=".2f"),
            ],
            description=SAID,
        )
        .transform_calculate(province_order=f"indexof({json.dumps(order)}, datum.province)")
        .properties(
            title=_title(
                "Where China's hashrate sat: the Sichuan–Xinjiang seasonal swing",
                f"Monthly share of China's hashrate by province, {first} to {last} "
                "(months with none attributed to China left out). " + SOURCE_CCAF,
            ),
            description=(
                f"Stacked bar chart of the provincial split of China's hashrate, {first} to "
                f"{last}: Sichuan's share rises in each summer wet season and Xinjiang's falls."
            ),
        )
    )
    return theme(
        with_source(
            chart, "hashrate by province", f"every province, {first} to {last}, months with a share"
        )
    )


def migration(hashrate_migration: pd.DataFrame) -> alt.TopLevelMixin:
    """(8) Each country's share before the crackdown, with China at zero, and latest."""
    data = _iso(hashrate_migration, "month")
    words = {"before": "baseline", "exodus": "China at zero", "latest": "latest"}
    labels = {
        period: f"{month_text(month)}, {words[period]}"
        for period, month in data.groupby("period")["month"].first().items()
    }
    data["moment"] = data["period"].map(labels)
    data["source_row"] = [
        f"CCAF country table: {country}, {month_text(month)}"
        for country, month in zip(data["country"], data["month"], strict=True)
    ]
    data["description"] = said(
        data,
        lambda r: f"{r['country']}, {r['moment']}: {r['share_pct']:.2f}{NBSP}% of global hashrate",
    )
    order = data[data["period"] == "latest"].sort_values("share_pct", ascending=False)["country"]
    moments = [labels[p] for p in ("before", "exodus", "latest")]
    base = alt.Chart(data).encode(y=alt.Y("country:N", title=None, sort=list(order)))
    span = base.mark_rule(color="#bbbbbb", strokeWidth=2, aria=False).encode(
        x=alt.X("min(share_pct):Q"), x2="max(share_pct):Q"
    )
    points = base.mark_circle(size=110, opacity=0.95).encode(
        x=alt.X("share_pct:Q", title="Share of global hashrate (%)"),
        color=alt.Color(
            "moment:N",
            title=None,
            sort=moments,
            scale=alt.Scale(domain=moments, range=["#999999", VERMILLION, BLUE]),
        ),
        tooltip=[
            alt.Tooltip("country:N", title="Country"),
            SOURCE_ROW,
            alt.Tooltip("moment:N", title="Moment"),
            alt.Tooltip("share_pct:Q", title="Share (%)", format=".2f"),
            alt.Tooltip("hashrate_ehs:Q", title="Hashrate (EH/s)", format=".2f"),
            alt.Tooltip("share_change_pts:Q", title="Change since before (points)", format="+.2f"),
            alt.Tooltip("hashrate_change_ehs:Q", title="Change since before (EH/s)", format="+.2f"),
        ],
        description=SAID,
    )
    chart = (span + points).properties(
        title=_title(
            "The great mining migration",
            "Share of global hashrate at three moments. " + SOURCE_CCAF,
        ),
        description=(
            "Dot chart of each country's share of global hashrate at three moments: "
            + "; ".join(moments)
            + "; countries sorted by their latest share. "
            + _migration_finding(hashrate_migration)
        ),
    )
    return theme(
        with_source(
            chart, "hashrate migration", "every country at the three moments: " + "; ".join(moments)
        )
    )


def _migration_finding(hashrate_migration: pd.DataFrame) -> str:
    """The country whose share rose most between the first and the latest moment."""
    latest = hashrate_migration[
        (hashrate_migration["period"] == "latest") & (hashrate_migration["country"] != "Other")
    ].sort_values("share_change_pts", ascending=False)
    top = latest.iloc[0]
    before = top["share_pct"] - top["share_change_pts"]
    name = "The United States'" if top["country"] == "United States" else f"{top['country']}'s"
    return f"{name} share rose most, from {before:.2f}{NBSP}% to {top['share_pct']:.2f}{NBSP}%."


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


def _lowest_week(weekly: pd.DataFrame, column: str, what: str, unit: str) -> str:
    """The lowest week of a series after its base week (index 100), in words."""
    base = weekly.loc[weekly["btc_close_index"] == 100, "week_start"].iloc[0]
    after = weekly[weekly["week_start"] > base]
    low = after.loc[after[column].idxmin()]
    return (
        f"After the base week of {day_text(base)}, {what} was lowest in the week of "
        f"{day_text(low['week_start'])}, at {low[column]:,.1f}{NBSP + unit if unit else ''}."
    )


def prices_indexed(price_trends: pd.DataFrame) -> alt.TopLevelMixin:
    """(5) BTC price and hashprice indexed to the base week (= 100)."""
    price_trends = in_study_window(price_trends, "week_start")
    names = {"btc_close_index": "BTC closing price", "hashprice_index": "Hashprice"}
    base = price_trends.loc[price_trends["btc_close_index"] == 100, "week_start"].iloc[0]
    data = _iso(price_trends, "week_start").melt(
        id_vars=["week_start"], value_vars=list(names), var_name="series", value_name="index"
    )
    data["series"] = data["series"].map(names)
    data["source_row"] = [
        f"Weekly price table: week of {day_text(week)} (Coin Metrics, seven daily rows)"
        for week in data["week_start"]
    ]
    data["description"] = said(
        data,
        lambda r: (
            f"{r['series']}, week of {day_text(r['week_start'])}: {r['index']:,.1f} "
            f"(week of {day_text(base)} = 100)"
        ),
    )
    first, last = data["week_start"].min(), data["week_start"].max()
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("week_start:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
            y=alt.Y("index:Q", title=f"Index, week of {day_text(base)} = 100"),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(names.values()), range=[ORANGE, BLUE]),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(names.values()), range=DASHES[:2]),
            ),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("week_start:T", title="Week of", format="%-d %B %Y"),
                alt.Tooltip("index:Q", title="Index", format=".1f"),
                SOURCE_ROW,
            ],
            description=SAID,
        )
    )
    hundred = (
        alt.Chart(pd.DataFrame({"y": [100]})).mark_rule(color="#888888", aria=False).encode(y="y:Q")
    )
    week = (
        alt.Chart(pd.DataFrame({"x": [f"{base:%Y-%m-%d}"]}))
        .mark_rule(color="#c0392b", strokeDash=[3, 3], aria=False)
        .encode(x="x:T")
    )
    chart = (hundred + week + lines).properties(
        title=_title(
            "Bitcoin's price and miners' revenue per unit of hashrate",
            f"Weekly, indexed to the week of {day_text(base)} = 100, {day_text(first)} to "
            f"{day_text(last)}. "
            "Hashprice: miner revenue per TH/s per day. " + SOURCE_COINMETRICS,
        ),
        description=(
            "Line chart of Bitcoin's weekly closing price and hashprice, both indexed to "
            f"100 in the week of {day_text(base)}, from {day_text(first)} to {day_text(last)}. "
            + _lowest_week(price_trends, "btc_close_index", "the price's index", "")
            + " "
            + _lowest_week(price_trends, "hashprice_index", "the hashprice's index", "")
        ),
    )
    return theme(
        with_source(
            chart, "price trends (weekly)", "price and hashprice indices, every complete week"
        )
    )


def _asking_words(row: dict[str, Any]) -> str:
    """What a screen reader says for one month and class of dealer listings."""
    head = f"Machines {row['efficiency_class']}, {month_text(row['month'])}: "
    if pd.isna(row["median_usd_per_th"]):
        return head + "no listings"
    count = int(row["listings"])
    return head + (
        f"median asking price {row['median_usd_per_th']:,.2f} USD per TH/s from {count:,} "
        + ("listing" if count == 1 else "listings")
    )


def asic_price_chart(asic_prices: pd.DataFrame) -> alt.TopLevelMixin:
    """(7) Monthly median asking price per TH/s by efficiency class, the gap left empty."""
    classes = ["under 38 J/TH", "38-68 J/TH", "over 68 J/TH"]
    chosen = asic_prices[asic_prices["efficiency_class"].isin(classes)]
    data = _iso(chosen, "month").assign(
        source_row=[
            f"ASIC prices table: {efficiency}, {month_text(month)} ({count:,} listings)"
            for efficiency, month, count in zip(
                chosen["efficiency_class"], chosen["month"], chosen["listings"], strict=True
            )
        ],
        description=said(chosen, _asking_words),
    )
    per_month = asic_prices.groupby("month")["listings"].sum()
    empty = per_month[per_month == 0].index
    gap = pd.DataFrame(
        {
            "start": [f"{empty.min():%Y-%m-%d}"],
            "end": [f"{empty.max() + pd.offsets.MonthEnd(1):%Y-%m-%d}"],
            "label": ["no listings"],
        }
    )
    first, last = month_text(data["month"].min()), month_text(data["month"].max())
    band = alt.Chart(gap).mark_rect(color="#eeeeee", aria=False).encode(x="start:T", x2="end:T")
    band_text = (
        alt.Chart(gap)
        .mark_text(
            align="left", baseline="top", dx=4, dy=4, fontSize=10, color="#555555", aria=False
        )
        .encode(x="start:T", y=alt.value(0), text="label:N")
    )
    lines = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=2, invalid="break-paths-show-domains")
        .encode(
            x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
            y=alt.Y("median_usd_per_th:Q", title="Median asking price (USD per TH/s)"),
            color=alt.Color(
                "efficiency_class:N",
                title="Efficiency",
                sort=classes,
                scale=alt.Scale(domain=classes, range=[BLUE, ORANGE, "#999999"]),
            ),
            strokeDash=alt.StrokeDash(
                "efficiency_class:N",
                title="Efficiency",
                sort=classes,
                scale=alt.Scale(domain=classes, range=DASHES[: len(classes)]),
            ),
            tooltip=[
                alt.Tooltip("efficiency_class:N", title="Efficiency class"),
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("median_usd_per_th:Q", title="Median (USD per TH/s)", format=".2f"),
                alt.Tooltip("listings:Q", title="Listings"),
                SOURCE_ROW,
            ],
            description=SAID,
        )
    )
    chart = (band + band_text + lines).properties(
        title=_title(
            "What mining machines cost",
            f"Median dealer asking price per TH/s by efficiency class, monthly, {first} to "
            f"{last}; shaded: months without listings. Source: asics-tools dealer listings",
        ),
        description=(
            "Line chart of the monthly median asking price of mining machines in USD per "
            f"TH/s for three efficiency classes, {first} to {last}, with the months that "
            "have no listings left empty and shaded. " + _asking_finding(data, classes[0])
        ),
    )
    return theme(
        with_source(
            chart, "ASIC prices", "three efficiency classes, every month " + f"{first} to {last}"
        )
    )


def rejected_claims(source_conflicts: pd.DataFrame) -> set[str]:
    """Figure ids the conflict ledger sets aside (the side not used)."""
    rejected = set()
    for _, row in source_conflicts.iterrows():
        for side, other in (("a", "b"), ("b", "a")):
            if row["used"] == other:
                ref = str(row[f"claim_{side}_ref"])
                if ref.startswith("machine_flows:"):
                    rejected.add(ref.split(":", 1)[1])
    return rejected


def _asking_finding(data: pd.DataFrame, efficient: str) -> str:
    """The first and last median asking price of the most efficient class, in words."""
    rows = data[(data["efficiency_class"] == efficient) & data["median_usd_per_th"].notna()]
    rows = rows.sort_values("month")
    first, last = rows.iloc[0], rows.iloc[-1]
    return (
        f"The median asking price of machines {efficient} went from "
        f"{first['median_usd_per_th']:,.2f} USD per TH/s in {month_text(first['month'])} to "
        f"{last['median_usd_per_th']:,.2f} in {month_text(last['month'])}."
    )


def _bounded(machines: int, qualifier: object) -> str:
    """A count with the bound its source puts on it: 'at least 205,000'."""
    return f"{machines:,}" if pd.isna(qualifier) else f"{qualifier} {machines:,}"


def machines_chart(
    machine_exports: pd.DataFrame,
    machine_exports_by_destination: pd.DataFrame,
    source_conflicts: pd.DataFrame,
) -> alt.TopLevelMixin:
    """(6) Machines moved out of China, by destination and by company, confidence shown."""
    rejected = rejected_claims(source_conflicts)
    tracked = machine_exports.set_index("figure_id").loc[FT_TRACKED_FIGURE, "machines"]
    destinations = machine_exports_by_destination.dropna(subset=["machines"])
    # A destination's bar is as well attested as its own count; the share of the
    # tracked total (in its detail) also rests on that total.
    level = machine_exports.set_index("figure_id")["confidence"]
    own = destinations["figure_ids"].map(
        lambda ids: level.get(
            next(i for i in ids.split(" ; ") if i.startswith("M") and i != FT_TRACKED_FIGURE),
            None,
        )
    )
    dest = pd.DataFrame(
        {
            "label": destinations["destination_country"] + ": all companies",
            "group": "By destination (Financial Times survey)",
            "machines": destinations["machines"].astype(int),
            "confidence": own.fillna(destinations["confidence"]),
            "detail": destinations["machines"].map(
                lambda n: (
                    f"about {n / tracked * 100:.0f}{NBSP}% of the more than "
                    f"{tracked:,.0f} machines tracked"
                )
            ),
            "source_row": "Machines by destination: "
            + destinations["destination_country"]
            + " (Financial Times survey, as relayed)",
        }
    )
    dest["qualifier"] = destinations["qualifier"]
    moved = machine_exports[
        machine_exports["flow"].isin(["left China", "arrived abroad"])
        & machine_exports["company"].notna()
        & ~machine_exports["figure_id"].isin(rejected)
    ]
    companies = pd.DataFrame(
        {
            "label": moved["company"]
            + " to "
            + moved["destination_country"].fillna("an unnamed country"),
            "group": "By company",
            "machines": moved["machines"].astype(int),
            "confidence": moved["confidence"],
            "detail": moved["metric"],
            "source_row": "Press figures: " + moved["source_publisher"] + ", " + moved["metric"],
            "reported": moved["date_reported"].map(
                lambda day: "report undated" if pd.isna(day) else f"reported {day:%b %Y}"
            ),
        }
    )
    companies["qualifier"] = moved["qualifier"]
    data = pd.concat([dest, companies], ignore_index=True)
    # One bar per count: a company with two counts (two reports, two moments) gets two
    # bars, each named by its report, never one bar of their sum.
    twice = data["label"].duplicated(keep=False)
    data.loc[twice, "label"] = data.loc[twice, "label"] + " (" + data.loc[twice, "reported"] + ")"
    data["description"] = said(
        data,
        lambda r: (
            f"{r['label']}: {_bounded(r['machines'], r['qualifier'])} machines ({r['detail']}); "
            f"attested by: {r['confidence']}"
        ),
    )
    data = data.sort_values(["group", "machines"], ascending=[False, False])
    order = data["label"].tolist()
    unranked = machine_exports_by_destination[machine_exports_by_destination["machines"].isna()]
    sizes = unranked.groupby("rank")["destination_country"].transform("size")
    alone = ", ".join(
        f"{row.destination_country} ranked {ORDINALS.get(int(row.rank), row.rank)}"
        for row in unranked[sizes == 1].sort_values("rank").itertuples()
    )
    shared = " and ".join(
        unranked[sizes > 1].sort_values("destination_country")["destination_country"]
    )
    named = "; ".join(
        part for part in (alone, f"{shared} named after, in no order" if shared else "") if part
    )
    levels = list(CONFIDENCE_COLOURS)
    largest = data.loc[data["machines"].idxmax()]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            x=alt.X("machines:Q", title="Machines", stack=None),
            color=alt.Color(
                "confidence:N",
                title="Figure attested by",
                scale=alt.Scale(domain=levels, range=[CONFIDENCE_COLOURS[c] for c in levels]),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Figure"),
                alt.Tooltip("machines:Q", title="Machines", format=","),
                alt.Tooltip("confidence:N", title="Confidence"),
                alt.Tooltip("detail:N", title="What it counts"),
                SOURCE_ROW,
            ],
            description=SAID,
        )
        .properties(
            height=alt.Step(18),
            title=_title(
                "Where the machines went",
                "Machines reported moved out of China or set up abroad during the crackdown: "
                "destination totals from the Financial Times survey, then company figures. "
                "Without a count: "
                f"{named}. Figures the conflict ledger sets aside are left out.",
            ),
            description=(
                f"Bar chart of {len(data)} reported machine counts; the largest is "
                f"{largest['label']}, {_bounded(largest['machines'], largest['qualifier'])}: "
                + "; ".join(
                    f"{row['label']}: {_bounded(row['machines'], row['qualifier'])}"
                    for row in data.to_dict("records")
                )
            ),
        )
    )
    return theme(
        with_source(
            chart, "machine exports and machines by destination", f"the {len(data)} counts drawn"
        )
    )


def responsive_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The spec for the web page: as wide as its container.

    Only the width is fitted ("fit-x"): the plot keeps its height and the title,
    subtitle and legends add to it, so the page's chart script can wrap and stack
    them for a narrow column without squeezing the plot.
    """
    spec = set_quotes(chart.to_dict())
    if "height" not in spec and "height" not in spec.get("encoding", {}):
        spec["height"] = HEIGHT
    spec["width"] = "container"
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    # Room above the title: layered charts with bands otherwise crop its top.
    spec["padding"] = {"top": 10, "bottom": 5, "left": 5, "right": 5}
    return spec


#: Spec keys whose strings a reader sees as the chart's own words (not data values).
WORDING_KEYS = frozenset({"title", "subtitle", "text", "description"})


def set_quotes(node: Any, key: str | None = None) -> Any:
    """The spec with typographic quotes in its titles, subtitles and labels; the data
    (``datasets``, field names) is left exactly as the tables hold it."""
    if isinstance(node, dict):
        return {
            k: v if k in ("datasets", "field", "data") else set_quotes(v, k)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [set_quotes(item, key) for item in node]
    if isinstance(node, str) and key in WORDING_KEYS:
        return typographic(node)
    return node


def print_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The same spec at a fixed width, for SVG and PDF."""
    fixed = copy.deepcopy(spec)
    fixed["width"] = PRINT_WIDTH
    # "fit" cannot size discrete axes and then crops the title; "pad" grows around them.
    fixed["autosize"] = {"type": "pad"}
    return fixed


def chart_data(spec: dict[str, Any]) -> pd.DataFrame:
    """The table a chart draws: the largest of its datasets (bands, reference lines
    and labels are the small ones), as the reader can check it."""
    datasets = spec.get("datasets") or {}
    if not datasets:
        raise ValueError("the chart holds no inline dataset")
    rows = max(datasets.values(), key=len)
    return pd.DataFrame(rows)


def stable_pdf(pdf: bytes) -> bytes:
    """The same page, written by Typst so that equal charts give equal bytes.

    vl-convert writes a page's resource dictionaries in hash order, so two renders
    of one spec differ; Typst places the page as a vector image, keeping its size
    and embedded fonts, and writes the file deterministically (no date).
    """
    import tempfile

    import typst

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "chart.pdf").write_bytes(pdf)
        (root / "page.typ").write_text(
            "#set page(width: auto, height: auto, margin: 0pt)\n"
            "#set document(date: none)\n"
            '#image("chart.pdf")\n',
            encoding="utf-8",
        )
        return typst.compile(str(root / "page.typ"))


def save_chart(
    chart: alt.TopLevelMixin,
    vl_json: str | Path,
    svg: str | Path,
    pdf: str | Path,
    csv: str | Path | None = None,
) -> None:
    """Write the chart's Vega-Lite spec, SVG and PDF, and the data it draws as CSV."""
    spec = responsive_spec(chart)
    write_text(vl_json, json.dumps(spec, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    fixed = print_spec(spec)
    write_text(svg, vl_convert.vegalite_to_svg(fixed))
    write_bytes(pdf, stable_pdf(vl_convert.vegalite_to_pdf(fixed)))
    if csv is not None:
        write_text(csv, chart_data(spec).to_csv(index=False, lineterminator="\n"))


#: Chart name (the file stem under reports/figures) → the function that draws it.
CHARTS: dict[str, Callable[..., alt.TopLevelMixin]] = {
    "crackdown_timeline": crackdown_timeline,
    "china_share": china_vs_destinations,
    "provincial_composition": provincial_composition,
    "migration": migration,
    "network_hashrate": network_hashrate,
    "prices_indexed": prices_indexed,
    "asic_prices": asic_price_chart,
    "machines": machines_chart,
}
