"""Every malformed input in the corpus is rejected with a message naming what broke.

Each case runs through the functions the pipeline's validation steps call
(workflow/scripts/validate_raw_table.py and cross_check.py), in this process: the
verdict a failed run prints, and the failure cases it writes. A representative few also
run end to end, through a real `snakemake` run (tests/pipeline/test_pipeline.py).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from malformed import CASES, CROSS_TABLE_CASES, RAW, ROOT, Case, break_snapshot, sidecar_of

from mining_report.derive.network import btc_daily
from mining_report.errors import ValidationFailed
from mining_report.raw.cross_source import network_hashrate_failures
from mining_report.raw.failures import describe_failures
from mining_report.raw.models import RAW_MODELS
from mining_report.raw.models.ranges import NETWORK_HASHRATE_TOLERANCE
from mining_report.raw.models.windows import SERIES_WINDOWS
from mining_report.raw.provenance import ProvenanceError
from mining_report.raw.validation import validate_raw


def test_the_corpus_is_large_and_distinct() -> None:
    assert len(CASES) >= 25
    assert len({case.name for case in CASES}) == len(CASES)


def test_the_corpus_covers_every_raw_table_and_every_class() -> None:
    assert {case.table for case in CASES} == set(RAW_MODELS)
    for kind in ("values", "text", "sidecar"):
        tables = {case.table for case in CASES if kind in case.tags}
        assert len(tables) >= 4, (kind, tables)
    # Every time series has a case of a missing period.
    assert {case.table for case in CASES if "completeness" in case.tags} == set(SERIES_WINDOWS)


#: A failed check as the message names it: isin, less_than_or_equal_to(100), ...
CHECK_NAME = re.compile(r"^[a-z][a-z0-9_]*(\(.*\))?$")


def assert_the_cases_say_what_the_message_says(table: pd.DataFrame, expect: tuple[str, ...]):
    """Every column, line and check the message names is in the failure cases too."""
    for words in expect:
        for column in re.findall(r"column '([^']+)'", words):
            assert column in set(table["column"]), (column, set(table["column"]))
        for lines in re.findall(r"line\(s\) ([\d, ]+)", words) + re.findall(r"^line (\d+)", words):
            assert set(re.findall(r"\d+", lines)) <= set(table["line"]), (lines, set(table["line"]))
        if CHECK_NAME.match(words):
            assert any(words in check for check in table["check"]), (words, set(table["check"]))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of data/raw only: the unit tests need nothing else."""
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    return tmp_path


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_malformed_input_is_rejected_with_a_precise_message(case: Case, project: Path) -> None:
    csv = break_snapshot(case, project)
    broken = csv.read_bytes()
    failures = project / "failures.csv"
    with pytest.raises((ValidationFailed, ProvenanceError)) as err:
        validate_raw(csv, RAW_MODELS[case.table], failures)
    message = str(err.value)
    # A sidecar fault names the sidecar; every other fault names the CSV.
    assert str(sidecar_of(csv) if case.edit_sidecar else csv) in message
    for words in case.expect:
        assert words in message, f"{words!r} missing from:\n{message}"
    # The failure cases are data, naming the same file, columns, lines and checks; the
    # raw file is untouched.
    table = pd.read_csv(failures, dtype=str, keep_default_na=False)
    assert {"file", "line", "column", "check", "value"} <= set(table.columns)
    assert len(table) >= 1
    assert set(table["file"]) <= {str(csv), str(sidecar_of(csv))}
    assert_the_cases_say_what_the_message_says(table, case.expect)
    if case.failure_value:
        assert (table["value"] == case.failure_value).any()
    assert csv.read_bytes() == broken


def test_crlf_line_ends_are_accepted(project: Path) -> None:
    csv = project / "data/raw/ccaf/cbeci_countries.csv"
    crlf = csv.read_bytes().replace(b"\n", b"\r\n")
    csv.write_bytes(crlf)
    meta = sidecar_of(csv)
    text = meta.read_text()
    old = hashlib.sha256(crlf.replace(b"\r\n", b"\n")).hexdigest()
    meta.write_text(text.replace(old, hashlib.sha256(crlf).hexdigest()))
    frame = validate_raw(csv, RAW_MODELS["cbeci_countries"], project / "f.csv")
    assert len(frame) == 290
    assert not frame["country"].str.contains("\r").any()


def test_markup_in_a_text_field_is_valid_data(project: Path) -> None:
    """Escaping is the renderer's job: a summary may quote anything."""
    case = Case(
        "script_in_summary",
        "events",
        lambda d: d.replace(b'"A draft energy-control plan', b'"<script>alert(1)</script> plan', 1),
        (),
    )
    csv = break_snapshot(case, project)
    frame = validate_raw(csv, RAW_MODELS["events"], project / "f.csv")
    assert frame.loc[0, "summary"].startswith("<script>alert(1)</script>")


def test_a_stale_failures_file_is_removed_by_a_clean_run(project: Path) -> None:
    failures = project / "failures.csv"
    failures.write_text("file,line,column,check,value\nold,1,x,y,z\n")
    validate_raw(
        project / "data/raw/ccaf/cbeci_countries.csv",
        RAW_MODELS["cbeci_countries"],
        failures,
    )
    assert not failures.exists()


@pytest.mark.parametrize("case", CROSS_TABLE_CASES, ids=lambda case: case.name)
def test_a_cross_table_disagreement_is_found(case: Case, project: Path) -> None:
    csv = break_snapshot(case, project)
    # Each table passes on its own ...
    validate_raw(csv, RAW_MODELS[case.table], project / "f.csv")
    broken = btc_daily(csv)  # the daily table the DAG computes from the fields
    countries = validate_raw(
        project / RAW["cbeci_countries"], RAW_MODELS["cbeci_countries"], project / "f.csv"
    )
    # ... but not against the other.
    failures = network_hashrate_failures(
        countries,
        broken,
        RAW["cbeci_countries"],
        RAW["coinmetrics_btc_daily"],
        NETWORK_HASHRATE_TOLERANCE,
    )
    message = describe_failures(failures, RAW["cbeci_countries"], "x.failures.csv")
    for words in case.expect:
        assert words in message, message
    # One failure case, the month that disagrees, filed against CCAF's table.
    assert len(failures) == 1
    assert set(failures["file"]) == {RAW["cbeci_countries"]}
    assert_the_cases_say_what_the_message_says(failures.astype(str), case.expect)
    assert failures["value"].iloc[0].startswith("2021-03: CCAF 159.60 EH/s")
