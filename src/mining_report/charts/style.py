"""The report's one palette and shared look: font, colours, shapes, dashes, theme."""

from __future__ import annotations

import altair as alt

#: Liberation Sans is bundled with vl-convert, so static charts always get it.
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
#: Colours from Okabe and Ito's palette, chosen to stay apart for readers with the
#: common colour-vision deficiencies (tests/pipeline/test_charts_built.py simulates them), and a
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


def theme(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The report's shared look: one font, quiet grid, readable sizes."""
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=12, gridColor="#e5e5e5", labelLimit=180)
        .configure_legend(labelFontSize=11, titleFontSize=11, orient="bottom", columns=3)
        .configure_title(fontSize=14, anchor="start", subtitleColor="#555555", subtitleFontSize=11)
    )
