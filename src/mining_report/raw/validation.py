"""Validate a raw snapshot lazily and turn pandera's findings into a readable verdict.

The provenance is checked first, then the CSV's structure (``raw_csv``), then the
checks pandera cannot make (``raw_checks``) and the model itself; every failure case
goes to the failures file and the verdict names them (``failure_report``). A success
gives the typed table and the record of what was checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.errors
import pandera.pandas as pa

from mining_report.errors import ProvenanceError, ValidationFailed
from mining_report.io import write_text
from mining_report.model_checks import check_columns_of
from mining_report.raw.checks import (
    accessed_failures,
    completeness_failures,
    iso_date_failures,
    value_failures,
)
from mining_report.raw.failures import describe_failures, failure_table, summary_path
from mining_report.raw.models.windows import SERIES_WINDOWS
from mining_report.raw.provenance import Snapshot, open_snapshot, sidecar_path
from mining_report.raw.reading import read_raw_csv


def _write_failures(failures_csv: str | Path, rows: pd.DataFrame) -> None:
    write_text(failures_csv, rows.to_csv(index=False, lineterminator="\n"))


def _file_failure(source: str | Path, check: str, message: str) -> pd.DataFrame:
    """A failure of the file as a whole (checksum, encoding, CSV structure)."""
    line = re.search(r": line (\d+):", message)
    return pd.DataFrame(
        {
            "file": [str(source)],
            "line": [int(line.group(1)) if line else pd.NA],
            "column": ["(file)"],
            "check": [check],
            "value": [message],
        }
    )


def validate_raw(
    raw_csv: str | Path,
    model: type[pa.DataFrameModel],
    failures_csv: str | Path,
) -> pd.DataFrame:
    """Check provenance, parse and validate ``raw_csv``; return the typed table."""
    return validate_snapshot(raw_csv, model, failures_csv)[0]


def validate_snapshot(
    raw_csv: str | Path,
    model: type[pa.DataFrameModel],
    failures_csv: str | Path,
) -> tuple[pd.DataFrame, Snapshot]:
    """Check provenance, parse and validate ``raw_csv``; return the typed table and
    the snapshot as read (its bytes, parsed and validated, are the ones hashed).

    On failure the cases are written to ``failures_csv`` and :class:`ValidationFailed`
    (or :class:`ProvenanceError`) is raised with a message fit to print; a failed
    table-level check names the column the model says it is about. On success a
    stale failures file from an earlier run is removed. The raw file is only read.
    """
    try:
        snapshot = open_snapshot(raw_csv)
    except ProvenanceError as err:
        _write_failures(failures_csv, _file_failure(raw_csv, "provenance_sidecar", str(err)))
        raise
    try:
        raw = read_raw_csv(snapshot.path, snapshot.data)
    except ValidationFailed as err:
        _write_failures(failures_csv, _file_failure(raw_csv, "csv_structure", str(err)))
        raise
    found = [
        iso_date_failures(raw.frame, model, raw_csv, raw.lines),
        value_failures(raw.frame, model, raw_csv, raw.lines),
        completeness_failures(raw.frame, SERIES_WINDOWS.get(snapshot.name), raw_csv),
    ]
    try:
        table = model.validate(raw.frame, lazy=True)
        found.append(accessed_failures(table, snapshot.sidecar, raw_csv))
    except pandera.errors.SchemaErrors as errors:
        found.append(failure_table(errors, raw_csv, check_columns_of(model), raw.lines))
    failures = pd.concat([f for f in found if not f.empty] or found[:1])
    if not failures.empty:
        failures = failures.sort_values(["line", "column"], na_position="first", kind="stable")
        _write_failures(failures_csv, failures)
        raise ValidationFailed(describe_failures(failures, raw_csv, failures_csv))
    Path(failures_csv).unlink(missing_ok=True)
    summary_path(failures_csv).unlink(missing_ok=True)
    return table, snapshot


def validation_record(
    table: str, snapshot: Snapshot, frame: pd.DataFrame, model: type[pa.DataFrameModel]
) -> dict[str, object]:
    """What a successful validation checked, for the report's data section, and the
    sha256 and size of the bytes it read (the CSV's and its sidecar's), which the
    build's manifest records as its inputs."""
    schema = model.to_schema()
    column_checks = sum(len(column.checks) for column in schema.columns.values())
    return {
        "table": table,
        "file": str(snapshot.path),
        "sha256": snapshot.sha256,
        "bytes": len(snapshot.data),
        "sidecar": str(sidecar_path(snapshot.path)),
        "sidecar_sha256": snapshot.sidecar_sha256,
        "sidecar_bytes": snapshot.sidecar_bytes,
        "rows": len(frame),
        "columns": list(frame.columns),
        "checks": column_checks + len(schema.checks),
        "unique_key": list(schema.unique) if schema.unique else None,
        "model": model.__name__,
    }
