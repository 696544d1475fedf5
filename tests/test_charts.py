"""Chart specifications and their static forms."""

from __future__ import annotations

import json

import pandas as pd

from mining_report.charts import china_vs_destinations, save_chart


def sample() -> pd.DataFrame:
    months = pd.to_datetime(["2021-04-01", "2021-05-01"])
    rows = []
    for month in months:
        for country, share in [("China", 40.0), ("United States", 20.0), ("Kazakhstan", 8.0),
                               ("Russia", 7.0), ("Canada", 5.0)]:  # fmt: skip
            rows.append({"month": month, "country": country, "share_pct": share,
                         "hashrate_ehs": share})  # fmt: skip
    return pd.DataFrame(rows)


def test_china_chart_shows_only_the_chosen_countries(tmp_path) -> None:
    chart = china_vs_destinations(sample())
    spec_path, svg, pdf = tmp_path / "c.vl.json", tmp_path / "c.svg", tmp_path / "c.pdf"
    save_chart(chart, spec_path, svg, pdf)
    spec = json.loads(spec_path.read_text())
    values = next(iter(spec["datasets"].values()))
    assert {row["country"] for row in values} == {"China", "United States", "Kazakhstan", "Russia"}
    assert spec["width"] == "container"
    assert "description" in spec and "China" in spec["description"]
    assert any(t["field"] == "share_pct" for t in spec["encoding"]["tooltip"])
    assert svg.read_text().startswith("<svg")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_chart_spec_is_deterministic(tmp_path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        save_chart(china_vs_destinations(sample()), folder / "c.vl.json", folder / "c.svg",
                   folder / "c.pdf")  # fmt: skip
    for name in ("c.vl.json", "c.svg"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
