"""A refreshed snapshot carries through the DAG to the report.

The built project's Coin Metrics snapshot ends on 30 June 2022 (its declared end). A
refresh against a local server (127.0.0.1; nothing reaches the network) brings July
2022 as well: the rebuilt weekly series and its chart run to the new last complete
week, and every row the committed snapshot gave is unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
from upstream_server import Upstream, coinmetrics_pages

from conftest import snakemake

FIELDS = "data/raw/coinmetrics/coinmetrics_btc_daily.csv"
#: The price tables, and the column each row is dated by.
PRICE_TABLES = {
    "price_trends": "week_start",
    "price_recovery": None,
    "difficulty_adjustments": "date",
}


def with_july(committed: Path, target: Path) -> Path:
    """The committed series and July 2022: each day 30 June's blocks, fees and price, at
    a hash rate 5 % higher (a difficulty epoch of its own from 1 July)."""
    text = committed.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    last = rows[-1]
    assert last["date"] == "2022-06-30"
    faster = str(Decimal(last["HashRate_THs"]) * Decimal("1.05"))
    july = [{**last, "date": f"2022-07-{day:02d}", "HashRate_THs": faster} for day in range(1, 32)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows + july)
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


def last_week(project: Path) -> str:
    return pd.read_csv(project / "data/processed/price_trends.csv")["week_start"].max()


def charted_weeks(project: Path) -> set[str]:
    spec = json.loads((project / "reports/figures/prices_indexed.vl.json").read_text())
    rows = [r for d in spec.get("datasets", {}).values() for r in d if "week_start" in r]
    return {str(r["week_start"])[:10] for r in rows}


def test_the_report_follows_a_refreshed_series(
    built_copy: Path, built_project: Path, built_env: dict[str, str], tmp_path: Path
) -> None:
    project = built_copy
    assert last_week(project) == "2022-06-20"  # 27-30 June do not make a week
    assert max(charted_weeks(project)) == "2022-06-20"
    html_before = (project / "reports/crackdown.html").read_bytes()

    with Upstream() as server:
        coinmetrics_pages(server, with_july(project / FIELDS, tmp_path / "upstream.csv"))
        command = [sys.executable, "-m", "mining_report.raw.refresh", "coinmetrics",
                   "--base-url", f"{server.url}/v4", "--accept"]  # fmt: skip
        env = dict(built_env)
        refreshed = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert refreshed.returncode == 0, refreshed.stderr
    assert "31 added, 0 removed" in refreshed.stdout

    done = snakemake(project, "--config", "render_engine=pandoc", env=built_env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert last_week(project) == "2022-07-25"  # the last whole week of July
    assert max(charted_weeks(project)) == "2022-07-25"
    assert (project / "reports/crackdown.html").read_bytes() != html_before
    # Accepting the refresh named the edition published until then: the report now says
    # what changed since it, in a section of its own.
    assert "The report will say what changed since the edition of" in refreshed.stdout
    html = (project / "reports/crackdown.html").read_text(encoding="utf-8")
    assert "What changed since the edition of" in html and "65 → 66" in html
    # What the committed snapshot gave is unchanged; July only adds rows.
    for table, dated_by in PRICE_TABLES.items():
        before = pd.read_csv(built_project / f"data/processed/{table}.csv", dtype=str)
        after = pd.read_csv(project / f"data/processed/{table}.csv", dtype=str)
        pd.testing.assert_frame_equal(after.iloc[: len(before)], before, obj=table)
        if dated_by:  # and the new rows come after the old ones
            assert (after.iloc[len(before) :][dated_by] > before[dated_by].max()).all(), table
    adjustments = pd.read_csv(project / "data/processed/difficulty_adjustments.csv")
    assert adjustments.iloc[-1]["date"] == "2022-07-01"
