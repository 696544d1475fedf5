"""Altair charts: one function per figure, one shared theme, three saved forms.

Each chart is saved as a Vega-Lite spec (drawn in the HTML page by vega-embed, at
the width of its container) and as SVG and PDF at a fixed print width (PDF for the
Typst publication: vl-convert embeds the chart's fonts, so no system font is needed).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert

from .io import write_bytes, write_text

#: Liberation Sans is bundled with vl-convert, so static charts always get it.
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
PRINT_WIDTH = 600
HEIGHT = 300
PALETTE = {
    "China": "#c0392b",
    "United States": "#1f4e79",
    "Kazakhstan": "#2e86c1",
    "Russia": "#7d3c98",
    "Canada": "#117a65",
    "Malaysia": "#b9770e",
    "Iran": "#6e2c00",
    "Germany": "#566573",
    "Ireland": "#28b463",
    "Other": "#aab7b8",
}


def theme(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The report's shared look: one font, quiet grid, readable sizes."""
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12, gridColor="#e5e5e5")
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom")
        .configure_title(fontSize=15, anchor="start", subtitleColor="#555555")
    )


def china_vs_destinations(
    hashrate_by_country: pd.DataFrame,
    countries: tuple[str, ...] = ("China", "United States", "Kazakhstan", "Russia"),
) -> alt.TopLevelMixin:
    """China's monthly share of global hashrate against the main destinations."""
    data = hashrate_by_country.loc[
        hashrate_by_country["country"].isin(countries),
        ["month", "country", "share_pct", "hashrate_ehs"],
    ].assign(month=lambda d: d["month"].dt.strftime("%Y-%m-%d"))
    first, last = data["month"].min()[:7], data["month"].max()[:7]
    colour = alt.Color(
        "country:N",
        title=None,
        sort=list(countries),
        scale=alt.Scale(domain=list(countries), range=[PALETTE[c] for c in countries]),
    )
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=18), strokeWidth=2)
        .encode(
            x=alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=0)),
            y=alt.Y("share_pct:Q", title="Share of global hashrate (%)"),
            color=colour,
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("share_pct:Q", title="Share (%)", format=".2f"),
                alt.Tooltip("hashrate_ehs:Q", title="Hashrate (EH/s)", format=".2f"),
            ],
        )
        .properties(
            title=alt.Title(
                "China's share of Bitcoin hashrate against the main destinations",
                subtitle=f"Monthly share of global hashrate, {first} to {last}. Source: CCAF",
            ),
            description=(
                "Line chart of the monthly share of global Bitcoin hashrate for "
                + ", ".join(countries)
                + f" from {first} to {last}, from the CCAF Bitcoin Mining Map."
            ),
        )
    )
    return theme(chart)


def responsive_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The spec for the web page: as wide as its container."""
    spec = chart.properties(width="container", height=HEIGHT).to_dict()
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    return spec


def print_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The same spec at a fixed width, for SVG and PDF."""
    fixed = copy.deepcopy(spec)
    fixed["width"] = PRINT_WIDTH
    return fixed


def save_chart(
    chart: alt.TopLevelMixin, vl_json: str | Path, svg: str | Path, pdf: str | Path
) -> None:
    """Write the chart's Vega-Lite spec, SVG and PDF."""
    spec = responsive_spec(chart)
    write_text(vl_json, json.dumps(spec, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    fixed = print_spec(spec)
    write_text(svg, vl_convert.vegalite_to_svg(fixed))
    write_bytes(pdf, vl_convert.vegalite_to_pdf(fixed))


#: Chart name (the file stem under reports/figures) → the function that draws it.
CHARTS = {"china_share": china_vs_destinations}
