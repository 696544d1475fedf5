"""Every committed raw snapshot matches its sidecar, which names its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from mining_report.raw.provenance import (
    REQUIRED_FIELDS,
    open_snapshot,
)

from conftest import ROOT

RAW = ROOT / "data" / "raw"


def raw_csvs() -> list[Path]:
    return sorted(RAW.rglob("*.csv"))


@pytest.mark.parametrize("csv", raw_csvs(), ids=lambda p: p.name)
def test_every_committed_raw_file_matches_its_sidecar(csv: Path) -> None:
    snapshot = open_snapshot(csv)
    for field in REQUIRED_FIELDS:
        assert getattr(snapshot.sidecar, field), f"{csv.name}: empty {field}"
    assert snapshot.sidecar.url.startswith("https://")
