"""Raw tables against their pandera models, and the readable verdict on failure, on
broken copies of a committed snapshot."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from mining_report.errors import ValidationFailed
from mining_report.raw.models import RAW_MODELS
from mining_report.raw.provenance import sidecar_path
from mining_report.raw.validation import validate_raw

from conftest import ROOT

COUNTRIES_CSV = ROOT / "data" / "raw" / "ccaf" / "cbeci_countries.csv"


def snapshot(tmp_path: Path, content: bytes) -> Path:
    """A raw file with ``content`` and a sidecar whose checksum matches it."""
    target = tmp_path / "cbeci_countries.csv"
    target.write_bytes(content)
    meta = yaml.safe_load(sidecar_path(COUNTRIES_CSV).read_text())
    meta["sha256"] = hashlib.sha256(content).hexdigest()
    sidecar_path(target).write_text(yaml.safe_dump(meta))
    return target


def validate(path: Path, tmp_path: Path) -> pd.DataFrame:
    return validate_raw(path, RAW_MODELS["cbeci_countries"], tmp_path / "failures.csv")


def original_text() -> str:
    return COUNTRIES_CSV.read_text(encoding="utf-8")


def test_share_above_100_names_file_column_line_and_check(tmp_path: Path) -> None:
    text = original_text().replace(
        "2019-09-01,Mainland China,75.53,", "2019-09-01,Mainland China,175.53,"
    )
    path = snapshot(tmp_path, text.encode())
    with pytest.raises(ValidationFailed) as err:
        validate(path, tmp_path)
    message = str(err.value)
    assert str(path) in message
    assert "column 'share_pct'" in message
    assert "less_than_or_equal_to(100)" in message
    assert "line(s) 2" in message
    failures = pd.read_csv(tmp_path / "failures.csv")
    assert {"file", "line", "column", "check", "value"} <= set(failures.columns)
    assert (failures["value"].astype(str) == "175.53").any()


def test_month_not_summing_to_100_is_reported_once_per_row(tmp_path: Path) -> None:
    text = original_text().replace("2019-09-01,Other,6.10,5.39", "2019-09-01,Other,9.10,5.39")
    path = snapshot(tmp_path, text.encode())
    with pytest.raises(ValidationFailed, match="monthly_shares_sum_to_100") as err:
        validate(path, tmp_path)
    failures = pd.read_csv(tmp_path / "failures.csv")
    month_rows = failures[failures["check"] == "monthly_shares_sum_to_100"]
    # All ten rows of September 2019 (lines 2-11), each listed once, by its share.
    assert sorted(month_rows["line"]) == list(range(2, 12))
    assert set(month_rows["column"]) == {"share_pct"}
    assert "column 'share_pct'" in str(err.value)


def test_unknown_country_is_rejected(tmp_path: Path) -> None:
    text = original_text().replace("2019-10-01,Other,", "2019-10-01,Atlantis,")
    path = snapshot(tmp_path, text.encode())
    with pytest.raises(ValidationFailed, match=r"column 'country'.*Atlantis"):
        validate(path, tmp_path)


def test_missing_column_is_rejected(tmp_path: Path) -> None:
    frame = pd.read_csv(COUNTRIES_CSV, dtype=str).drop(columns="abs_hashrate_ehs")
    path = snapshot(tmp_path, frame.to_csv(index=False).encode())
    with pytest.raises(ValidationFailed, match="abs_hashrate_ehs"):
        validate(path, tmp_path)


def test_text_in_a_number_column_is_rejected(tmp_path: Path) -> None:
    text = original_text().replace("2019-09-01,Other,6.10,", "2019-09-01,Other,six,")
    path = snapshot(tmp_path, text.encode())
    with pytest.raises(ValidationFailed, match=r"column 'share_pct'.*'six'"):
        validate(path, tmp_path)


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    path = snapshot(tmp_path, b"")
    with pytest.raises(ValidationFailed, match="empty"):
        validate(path, tmp_path)


def test_bytes_that_are_not_utf8_name_the_line(tmp_path: Path) -> None:
    content = original_text().encode().replace(b"Kazakhstan", b"Kaz\xe1khstan", 1)
    path = snapshot(tmp_path, content)
    with pytest.raises(ValidationFailed, match=r"line 8: bytes that are not UTF-8"):
        validate(path, tmp_path)


def test_raw_file_is_never_written(tmp_path: Path) -> None:
    source = tmp_path / "copy.csv"
    shutil.copy(COUNTRIES_CSV, source)
    shutil.copy(sidecar_path(COUNTRIES_CSV), sidecar_path(source))
    before = source.read_bytes()
    validate(source, tmp_path)
    assert source.read_bytes() == before
