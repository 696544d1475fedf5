"""The report follows a refreshed snapshot, against a local server with Coin Metrics'
API shape (nothing reaches the network)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml
from upstream_server import Upstream, coinmetrics_pages

from mining_report.provenance import sha256_of, sidecar_path

from conftest import ROOT


def cut_snapshot(csv_path: Path, last_date: str) -> None:
    """Keep the rows up to ``last_date`` and re-sign the sidecar (the older vintage)."""
    data = csv_path.read_bytes()
    end = b"\r\n" if b"\r\n" in data else b"\n"
    lines = data.split(end)
    kept = [lines[0]] + [ln for ln in lines[1:] if ln and ln[:10].decode() <= last_date]
    csv_path.write_bytes(end.join(kept) + end)
    meta = sidecar_path(csv_path)
    text = meta.read_text()
    old = yaml.safe_load(text)["sha256"]
    meta.write_text(text.replace(old, sha256_of(csv_path)))


def test_the_report_follows_a_refreshed_series(
    tmp_path: Path, built_project: Path, capsys, monkeypatch
) -> None:
    """Built from a snapshot that ended in May 2022, then refreshed to June: the weekly
    price series and its chart run to the new last complete week, and every table
    equals the one built from the committed snapshot."""
    import subprocess
    import sys

    from conftest import copy_project, isolated_env, snakemake

    project = copy_project(tmp_path / "project")
    env = isolated_env(tmp_path / "home")
    fields = project / "data/raw/coinmetrics/btc_daily_source_fields.csv"
    cut_snapshot(fields, "2022-05-31")
    # The project as it was when its snapshot ended in May.
    vocabularies = project / "src/mining_report/vocabularies.py"
    text = vocabularies.read_text()
    assert 'DAILY_END = pd.Timestamp("2022-06-30")' in text
    vocabularies.write_text(text.replace('"2022-06-30"', '"2022-05-31"', 1))

    def last_week() -> str:
        return pd.read_csv(project / "data/processed/price_trends.csv")["week_start"].max()

    def charted_weeks() -> set[str]:
        spec = json.loads((project / "reports/figures/prices_indexed.vl.json").read_text())
        rows = [r for d in spec.get("datasets", {}).values() for r in d if "week_start" in r]
        return {str(r["week_start"])[:10] for r in rows}

    done = snakemake(project, "--config", "render_engine=pandoc", env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert last_week() == "2022-05-23"  # 30 and 31 May do not make a week
    assert max(charted_weeks()) == "2022-05-23"
    html_before = (project / "reports/crackdown.html").read_bytes()

    with Upstream() as server:
        coinmetrics_pages(server, ROOT / "data/raw/coinmetrics/btc_daily_source_fields.csv")
        command = [sys.executable, "-m", "mining_report.refresh", "coinmetrics",
                   "--base-url", f"{server.url}/v4", "--accept"]  # fmt: skip
        refreshed = subprocess.run(command, cwd=project, capture_output=True, text=True,
                                   env={**env, "PYTHONPATH": str(project / "src")})  # fmt: skip
    assert refreshed.returncode == 0, refreshed.stderr
    assert "30 added" in refreshed.stdout

    done = snakemake(project, "--config", "render_engine=pandoc", env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert last_week() == "2022-06-20"  # 27-30 June do not make a week
    assert max(charted_weeks()) == "2022-06-20"
    assert (project / "reports/crackdown.html").read_bytes() != html_before
    for table in ("price_trends", "price_recovery", "difficulty_adjustments"):
        rebuilt = (project / f"data/processed/{table}.csv").read_bytes()
        assert rebuilt == (built_project / f"data/processed/{table}.csv").read_bytes(), table
