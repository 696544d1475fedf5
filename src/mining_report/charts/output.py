"""The three saved forms of a chart, and the data it draws.

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

from mining_report.formatting import typographic
from mining_report.io import write_bytes, write_text

PRINT_WIDTH = 600
HEIGHT = 300


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
