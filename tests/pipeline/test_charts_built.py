"""The built charts: colours that stay apart for every reader, and rows named in words."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pandas as pd

#: Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB.
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
    "typical": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
}  # fmt: skip
#: Smallest CIELAB distance (ΔE*ab) between two colours of one chart's legend.
MIN_DELTA_E = 10.0


def _lab(hex_colour: str, matrix: list[list[float]]) -> tuple[float, float, float]:
    def linear(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [linear(int(hex_colour.lstrip("#")[i : i + 2], 16)) for i in (0, 2, 4)]
    r, g, b = (min(max(sum(m * c for m, c in zip(row, rgb, strict=True)), 0), 1) for row in matrix)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def colour_ranges(spec: object) -> list[list[str]]:
    """Every explicit colour range of a color encoding in a spec."""
    found = []
    if isinstance(spec, dict):
        colour = spec.get("color")
        if isinstance(colour, dict) and isinstance(colour.get("scale", {}).get("range"), list):
            found.append(colour["scale"]["range"])
        for value in spec.values():
            found += colour_ranges(value)
    elif isinstance(spec, list):
        for value in spec:
            found += colour_ranges(value)
    return found


def test_the_colour_check_catches_a_red_green_pair() -> None:
    red, green = _lab("#d62728", CVD["deuteranopia"]), _lab("#2ca02c", CVD["deuteranopia"])
    assert math.dist(red, green) < MIN_DELTA_E
    assert math.dist(_lab("#d62728", CVD["typical"]), _lab("#2ca02c", CVD["typical"])) > 50


def test_every_chart_s_colours_stay_apart_under_colour_vision_deficiencies(
    built_project: Path,
) -> None:
    specs = sorted((built_project / "reports" / "figures").glob("*.vl.json"))
    assert len(specs) == 8
    for path in specs:
        for colours in colour_ranges(json.loads(path.read_text())):
            for name, matrix in CVD.items():
                labs = [_lab(c, matrix) for c in colours]
                closest = min(math.dist(a, b) for a, b in itertools.combinations(labs, 2))
                assert closest >= MIN_DELTA_E, (path.name, name, colours, round(closest, 1))


def _tooltip_fields(spec: object) -> set[str]:
    found: set[str] = set()
    if isinstance(spec, dict):
        tooltip = spec.get("tooltip")
        for item in tooltip if isinstance(tooltip, list) else []:
            if isinstance(item, dict) and "field" in item:
                found.add(item["field"])
        for value in spec.values():
            found |= _tooltip_fields(value)
    elif isinstance(spec, list):
        for value in spec:
            found |= _tooltip_fields(value)
    return found


def test_every_chart_names_its_rows_in_its_data_link_and_tooltips(built_project: Path) -> None:
    html = (built_project / "reports" / "crackdown.html").read_text(encoding="utf-8")
    for path in sorted((built_project / "reports" / "figures").glob("*.vl.json")):
        name = path.name.removesuffix(".vl.json")
        spec = json.loads(path.read_text(encoding="utf-8"))
        source = spec["usermeta"]["data_source"]
        assert source.startswith("the ") and " table" in source, (name, source)
        # The caption's link says which table and rows the CSV holds.
        link = f'href="data/{name}.csv" download>Data for this chart (CSV): {source}'
        assert link.replace("'", "\u2019") in html or link in html, name
        # Each mark's tooltip names the row it was drawn from, in words.
        assert "source_row" in _tooltip_fields(spec), name
        rows = pd.read_csv(built_project / "reports" / "data" / f"{name}.csv")
        assert rows["source_row"].notna().all() and (rows["source_row"].str.len() > 10).all()
