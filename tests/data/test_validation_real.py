"""The committed raw snapshots pass the checks the pipeline's validation step runs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from mining_report.derive.network import btc_daily
from mining_report.raw.cross_source import network_hashrate_failures
from mining_report.raw.models import RAW_MODELS
from mining_report.raw.validation import validate_raw

from conftest import ROOT

RAW_TABLES: dict[str, str] = yaml.safe_load((ROOT / "config/config.yaml").read_text())["raw_tables"]


@pytest.mark.parametrize("table", sorted(RAW_TABLES))
def test_every_committed_snapshot_passes_its_model(table: str, tmp_path: Path) -> None:
    failures = tmp_path / "failures.csv"
    frame = validate_raw(ROOT / RAW_TABLES[table], RAW_MODELS[table], failures)
    assert len(frame) > 0
    assert not failures.exists()


def test_committed_snapshot_is_valid_and_typed(tmp_path: Path) -> None:
    frame = validate_raw(
        ROOT / RAW_TABLES["cbeci_countries"],
        RAW_MODELS["cbeci_countries"],
        tmp_path / "failures.csv",
    )
    assert len(frame) == 290
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert pd.api.types.is_float_dtype(frame["share_pct"])


def test_the_real_ccaf_and_coin_metrics_hashrates_agree(tmp_path: Path) -> None:
    countries = validate_raw(
        ROOT / RAW_TABLES["cbeci_countries"], RAW_MODELS["cbeci_countries"], tmp_path / "f.csv"
    )
    fields = ROOT / RAW_TABLES["coinmetrics_btc_daily"]
    validate_raw(fields, RAW_MODELS["coinmetrics_btc_daily"], tmp_path / "f.csv")
    failures = network_hashrate_failures(countries, btc_daily(fields), "c.csv", "d.csv", 0.001)
    assert failures.empty  # they agree within 0.1 %, ten times closer than required
