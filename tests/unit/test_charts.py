"""Chart specifications and their static forms, from small hand-built frames."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from mining_report.charts.china_share import china_share, crackdown_window
from mining_report.charts.output import print_spec, responsive_spec, save_chart


def sample() -> pd.DataFrame:
    months = pd.to_datetime(["2021-04-01", "2021-05-01"])
    rows = []
    for month in months:
        for country, share in [("China", 40.0), ("United States", 20.0), ("Kazakhstan", 8.0),
                               ("Russia", 7.0), ("Canada", 5.0)]:  # fmt: skip
            rows.append({"month": month, "country": country, "share_pct": share,
                         "hashrate_ehs": share})  # fmt: skip
    return pd.DataFrame(rows)


def measures() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "jurisdiction": ["national", "national", "Sichuan", "national", "national"],
            "measure": ["trading_ban", "policy_statement", "ban", "ban", "ban"],
            "date_announced": pd.to_datetime(
                ["2021-05-18", "2021-05-21", "2021-05-01", "2021-09-24", "2021-10-08"]
            ),
        }
    )


def test_crackdown_window_runs_from_first_statement_to_first_national_ban() -> None:
    # The Sichuan ban (1 May) is provincial, the 18 May measure is not a statement.
    assert crackdown_window(measures()) == ("2021-05-21", "2021-09-24")


def test_crackdown_window_needs_both_ends() -> None:
    with pytest.raises(ValueError, match="crackdown window"):
        crackdown_window(measures()[measures()["measure"] != "ban"])


def test_china_chart_shows_only_the_chosen_countries(tmp_path) -> None:
    chart = china_share(sample(), measures())
    spec_path, svg, pdf = tmp_path / "c.vl.json", tmp_path / "c.svg", tmp_path / "c.pdf"
    save_chart(chart, spec_path, svg, pdf)
    spec = json.loads(spec_path.read_text())
    countries = {
        row["country"] for rows in spec["datasets"].values() for row in rows if "country" in row
    }
    assert countries == {"China", "United States", "Kazakhstan", "Russia"}
    assert spec["width"] == "container"
    assert "China" in spec["description"] and "21 May 2021" in spec["description"]
    assert svg.read_text().startswith("<svg")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_print_spec_is_fixed_width_and_leaves_the_web_spec_alone() -> None:
    spec = responsive_spec(china_share(sample(), measures()))
    fixed = print_spec(spec)
    assert fixed["width"] == 600 and spec["width"] == "container"


def test_chart_spec_is_deterministic(tmp_path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        save_chart(china_share(sample(), measures()), folder / "c.vl.json",
                   folder / "c.svg", folder / "c.pdf")  # fmt: skip
    for name in ("c.vl.json", "c.svg"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
