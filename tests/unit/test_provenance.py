"""Sidecars: the typed record read once, and a snapshot whose sidecar is missing,
incomplete or out of date refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from mining_report.raw.provenance import (
    REQUIRED_FIELDS,
    SIDECAR_SCHEMA,
    ProvenanceError,
    Sidecar,
    load_sidecar,
    open_snapshot,
    sha256_of,
    sidecar_path,
)

from conftest import ROOT

RAW = ROOT / "data" / "raw"


@pytest.fixture
def snapshot_copy(tmp_path: Path) -> Path:
    source = RAW / "ccaf" / "cbeci_countries.csv"
    target = tmp_path / "cbeci_countries.csv"
    shutil.copy(source, target)
    shutil.copy(sidecar_path(source), sidecar_path(target))
    return target


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


# The sidecar record ---------------------------------------------------------------


def write_sidecar(folder: Path, text: str) -> Path:
    """A CSV and its sidecar ``text``; returns the CSV."""
    csv = folder / "t.csv"
    csv.write_text("a\n1\n", encoding="utf-8")
    sidecar_path(csv).write_text(text, encoding="utf-8")
    return csv


#: 64 digits: YAML reads them as an integer, which drops the leading zero.
DIGITS = ("0123456789" * 7)[:64]

COMPLETE = f"""\
table: t
title: A table
producer: A producer
url: https://example.org/t
accessed: 2026-01-02
licence: as stated
sha256: {DIGITS}
notes: kept for a refresh, not read
change_log:
  - "2026-01-02: first snapshot"
"""


def test_a_sidecar_is_read_once_into_a_typed_record(tmp_path: Path) -> None:
    record = load_sidecar(write_sidecar(tmp_path, COMPLETE))
    assert isinstance(record, Sidecar)
    assert record.title == "A table"
    assert record.accessed == dt.date(2026, 1, 2)
    assert record.published is None and record.author is None
    assert record.sha256 == DIGITS  # as written, though YAML reads an integer
    assert record.creator == "A producer"  # no author: the producer is credited
    assert record.change_log == ("2026-01-02: first snapshot",)
    assert list(record.mapping) == [
        "table", "title", "producer", "url", "accessed", "licence", "sha256", "notes",
        "change_log",
    ]  # fmt: skip
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.title = "Another"  # type: ignore[misc]


@pytest.mark.parametrize("missing", ["title", "licence", "sha256"])
def test_a_missing_required_field_is_named(tmp_path: Path, missing: str) -> None:
    text = "".join(
        line + "\n" for line in COMPLETE.splitlines() if not line.startswith(f"{missing}:")
    )
    with pytest.raises(ProvenanceError) as err:
        load_sidecar(write_sidecar(tmp_path, text))
    assert str(err.value).endswith(f"missing or empty field(s): {missing}")


def test_every_field_of_the_wrong_kind_is_named(tmp_path: Path) -> None:
    text = COMPLETE + "columns: [a, b]\npublished: soon\n"
    with pytest.raises(ProvenanceError) as err:
        load_sidecar(write_sidecar(tmp_path, text))
    message = str(err.value)
    assert "field 'published': expected a date YYYY-MM-DD, found 'soon'" in message
    assert "field 'columns': expected a mapping of names to descriptions" in message


def test_the_schema_lists_every_field_the_record_reads() -> None:
    assert REQUIRED_FIELDS == ("title", "producer", "url", "accessed", "licence", "sha256")
    read = {field.name for field in dataclasses.fields(Sidecar)} - {"mapping"}
    assert set(SIDECAR_SCHEMA) == read
