"""Validate a raw snapshot lazily and turn pandera's findings into a readable verdict."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pandera.errors
import pandera.pandas as pa

from .io import write_text
from .provenance import open_snapshot

#: How many offending lines a message quotes per (column, check) before summarising.
MAX_LINES_QUOTED = 8


class ValidationFailed(Exception):
    """A raw table broke its schema; the message names file, column, line and check."""


def read_raw_csv(path: str | Path) -> pd.DataFrame:
    """Read a raw CSV as text columns, leaving type checks to the schema.

    Only empty cells count as missing: "NA" or "null" in a raw file stay text, so a
    schema rejects them instead of pandas silently turning them into gaps.
    """
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ValidationFailed(
            f"{path}: line {line}: bytes that are not UTF-8 (byte 0x{data[err.start]:02x} "
            f"at offset {err.start}); save the file as UTF-8"
        ) from err
    if not text.strip():
        raise ValidationFailed(f"{path}: the file is empty; expected a header and data rows")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, csv.Error) as err:
        raise ValidationFailed(f"{path}: not readable as CSV ({err})") from err
    if frame.empty:
        raise ValidationFailed(f"{path}: header only, no data rows")
    return frame


def failure_table(
    errors: pandera.errors.SchemaErrors,
    source: str | Path,
    check_columns: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Failure cases as a plain table: file, line, column, check, value.

    Pandera reports a failed table-level check once per column of each offending
    row; ``check_columns`` names the one column such a check is about, so each row
    is listed once, with the value that matters.
    """
    cases = errors.failure_cases.copy()
    for check, column in (check_columns or {}).items():
        cases = cases[(cases["check"] != check) | (cases["column"] == column)]
    index = pd.to_numeric(cases["index"], errors="coerce")
    # Data row 0 sits on line 2 of the file, under the header.
    line = (index + 2).astype("Int64")
    return pd.DataFrame(
        {
            "file": str(source),
            "line": line,
            "column": cases["column"].astype("string").fillna("(table)"),
            "check": cases["check"].astype(str),
            "value": cases["failure_case"].astype(str),
        }
    ).sort_values(["line", "column", "check"], na_position="first", kind="stable")


def describe_failures(failures: pd.DataFrame, source: str | Path, details: str | Path) -> str:
    """One readable paragraph per (column, check), naming the lines that broke it."""
    lines = [f"{source}: {len(failures)} failed check(s); every case is listed in {details}"]
    for (column, check), group in failures.groupby(["column", "check"], sort=False):
        where = group["line"].dropna()
        if where.empty:
            place = "the table as a whole"
        else:
            quoted = ", ".join(str(n) for n in where.head(MAX_LINES_QUOTED))
            more = len(where) - MAX_LINES_QUOTED
            place = f"line(s) {quoted}" + (f" and {more} more" if more > 0 else "")
        values = ", ".join(repr(v) for v in group["value"].head(3))
        lines.append(f"  - column '{column}', check '{check}': {place}; value(s) {values}")
    return "\n".join(lines)


def validate_raw(
    raw_csv: str | Path,
    model: type[pa.DataFrameModel],
    failures_csv: str | Path,
    check_columns: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Check provenance, parse and validate ``raw_csv``; return the typed table.

    On failure the cases are written to ``failures_csv`` and :class:`ValidationFailed`
    is raised with a message fit to print. The raw file is only ever read.
    """
    snapshot = open_snapshot(raw_csv)
    frame = read_raw_csv(snapshot.path)
    try:
        return model.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        failures = failure_table(errors, raw_csv, check_columns)
        write_text(failures_csv, failures.to_csv(index=False, lineterminator="\n"))
        raise ValidationFailed(describe_failures(failures, raw_csv, failures_csv)) from None
