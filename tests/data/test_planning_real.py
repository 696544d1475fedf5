"""The committed config and raw files pass what Snakemake checks while planning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from mining_report.pipeline.planning import (
    check_config,
    check_raw_inputs,
)

from conftest import ROOT

CONFIG = yaml.safe_load((ROOT / "config/config.yaml").read_text())


def test_the_project_config_passes() -> None:
    assert check_config(CONFIG) == []
    # The latest migration month follows the data (a pinned date passes too: unit tests).
    assert CONFIG["analysis"]["migration_months"]["latest"] == "last"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data/raw", tmp_path / "data/raw")
    return tmp_path


def test_the_real_raw_files_pass(project: Path) -> None:
    assert check_raw_inputs(CONFIG["raw_tables"], project) == []
