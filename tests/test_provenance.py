"""Raw snapshots and their sidecars."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from mining_report.provenance import (
    REQUIRED_FIELDS,
    ProvenanceError,
    open_snapshot,
    sha256_of,
    sidecar_path,
)

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def raw_csvs() -> list[Path]:
    return sorted(RAW.rglob("*.csv"))


@pytest.fixture
def snapshot_copy(tmp_path: Path) -> Path:
    source = RAW / "ccaf" / "cbeci_countries.csv"
    target = tmp_path / "cbeci_countries.csv"
    shutil.copy(source, target)
    shutil.copy(sidecar_path(source), sidecar_path(target))
    return target


@pytest.mark.parametrize("csv", raw_csvs(), ids=lambda p: p.name)
def test_every_committed_raw_file_matches_its_sidecar(csv: Path) -> None:
    snapshot = open_snapshot(csv)
    for field in REQUIRED_FIELDS:
        assert snapshot.meta[field], f"{csv.name}: empty {field}"
    assert snapshot.meta["url"].startswith("https://")


def test_sha256_drift_names_file_and_both_hashes(snapshot_copy: Path) -> None:
    before = sha256_of(snapshot_copy)
    with snapshot_copy.open("a", encoding="utf-8") as handle:
        handle.write("2022-01-01,Atlantis,0.00,0\n")
    after = sha256_of(snapshot_copy)
    with pytest.raises(ProvenanceError) as err:
        open_snapshot(snapshot_copy)
    message = str(err.value)
    assert str(snapshot_copy) in message
    assert before in message and after in message


def test_missing_sidecar_is_an_error(snapshot_copy: Path) -> None:
    sidecar_path(snapshot_copy).unlink()
    with pytest.raises(ProvenanceError, match="no provenance sidecar"):
        open_snapshot(snapshot_copy)


def test_sidecar_without_licence_is_an_error(snapshot_copy: Path) -> None:
    meta_path = sidecar_path(snapshot_copy)
    meta = yaml.safe_load(meta_path.read_text())
    del meta["licence"]
    meta_path.write_text(yaml.safe_dump(meta))
    with pytest.raises(ProvenanceError, match="licence"):
        open_snapshot(snapshot_copy)
