"""Validate a raw snapshot lazily and turn pandera's findings into a readable verdict."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors
import pandera.pandas as pa

from .errors import ProvenanceError, ValidationFailed
from .io import write_text
from .provenance import Sidecar, Snapshot, open_snapshot, sidecar_path
from .schemas import SERIES_WINDOWS, SeriesWindow, check_columns_of

#: How many offending lines a message quotes per (column, check) before summarising.
MAX_LINES_QUOTED = 8


@dataclass(frozen=True)
class RawTable:
    """A raw CSV read as text, with the file line on which each data row starts."""

    frame: pd.DataFrame
    lines: list[int]


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        raise ValidationFailed(
            f"{path}: line 1: the file starts with a byte-order mark (BOM); "
            "save it as UTF-8 without BOM"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ValidationFailed(
            f"{path}: line {line}: bytes that are not UTF-8 (byte 0x{data[err.start]:02x} "
            f"at offset {err.start}); save the file as UTF-8"
        ) from err


def read_raw_csv(path: str | Path, data: bytes | None = None) -> RawTable:
    """Read a raw CSV as text columns, leaving type checks to the schema.

    Structure is checked here, where pandas would guess: every record must have as
    many fields as the header (a truncated last line fails), column names must be
    unique, quotes must close. CRLF line ends are accepted (RFC 4180 uses them);
    a byte-order mark is not. Only empty cells count as missing: "NA" or "null"
    stay text, so a schema rejects them instead of pandas turning them into gaps.
    """
    path = Path(path)
    text = _decode(path, path.read_bytes() if data is None else data)
    if not text.strip():
        raise ValidationFailed(f"{path}: the file is empty; expected a header and data rows")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ValidationFailed(f"{path}: line {line}: not readable as CSV (a NUL byte)")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    lines: list[int] = []
    try:
        header = next(reader)
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            if record:  # a blank line between records carries no data
                records.append(record)
                lines.append(start)
    except csv.Error as err:
        raise ValidationFailed(
            f"{path}: line {reader.line_num}: not readable as CSV ({err})"
        ) from err
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise ValidationFailed(f"{path}: line 1: duplicate column name(s): {', '.join(duplicated)}")
    for record, line in zip(records, lines, strict=True):
        if len(record) != len(header):
            raise ValidationFailed(
                f"{path}: line {line}: {len(record)} field(s) where the header has "
                f"{len(header)} (a truncated line, or an unquoted comma?)"
            )
    if not records:
        raise ValidationFailed(f"{path}: header only, no data rows")
    frame = pd.DataFrame(records, columns=header, dtype="object").replace({"": None})
    return RawTable(frame=frame, lines=lines)


def _collapse_row_checks(cases: pd.DataFrame, check_columns: dict[str, str]) -> pd.DataFrame:
    """One row per offending line for checks that pandera reports once per column."""
    keep = []
    for check, group in cases.groupby("check", sort=False):
        if check in check_columns:
            keep.append(group[group["column"] == check_columns[check]])
        elif check == "multiple_fields_uniqueness":
            keep.append(
                group.groupby("index", sort=False)
                .agg({"column": "+".join, "failure_case": lambda v: ", ".join(map(str, v))})
                .reset_index()
                .assign(check="unique_key", schema_context="DataFrameSchema")
            )
        else:
            keep.append(group)
    return pd.concat(keep, ignore_index=True) if keep else cases


def _drop_cascades(cases: pd.DataFrame) -> pd.DataFrame:
    """A column that could not be coerced fails every later check; keep the cause only."""
    check = cases["check"].astype(str)
    uncoerced = set(cases.loc[check.str.startswith("coerce_dtype"), "column"])
    cascade = cases["column"].isin(uncoerced) & ~check.str.startswith("coerce_dtype")
    return cases[~cascade]


def failure_table(
    errors: pandera.errors.SchemaErrors,
    source: str | Path,
    check_columns: dict[str, str] | None = None,
    lines: list[int] | None = None,
) -> pd.DataFrame:
    """Failure cases as a plain table: file, line, column, check, value.

    Pandera reports a failed table-level check once per column of each offending
    row; ``check_columns`` names the one column such a check is about, so each row
    is listed once, with the value that matters. ``lines`` maps data rows to the
    file lines they start on.
    """
    cases = errors.failure_cases.copy()
    cases["check"] = cases["check"].astype(str)
    # For a missing or unexpected column pandera names the model; name the column.
    whole = cases["check"].isin(["column_in_dataframe", "column_in_schema"])
    cases.loc[whole, "column"] = cases.loc[whole, "failure_case"].astype(str)
    cases = _drop_cascades(_collapse_row_checks(cases, check_columns or {}))
    return _as_failure_rows(cases, source, lines)


def _as_failure_rows(
    cases: pd.DataFrame, source: str | Path, lines: list[int] | None
) -> pd.DataFrame:
    index = pd.to_numeric(cases["index"], errors="coerce").astype("Int64")
    if lines is None:
        # Without a line map, data row 0 sits on line 2, under the header.
        line = index + 2
    else:
        line = index.map(lambda i: lines[i] if pd.notna(i) and 0 <= i < len(lines) else pd.NA)
        line = line.astype("Int64")
    return pd.DataFrame(
        {
            "file": str(source),
            "line": line,
            "column": cases["column"].astype("string").fillna("(table)"),
            "check": cases["check"].astype(str),
            "value": cases["failure_case"].astype(str),
        }
    ).sort_values(["line", "column", "check"], na_position="first", kind="stable")


def iso_date_failures(
    frame: pd.DataFrame, model: type[pa.DataFrameModel], source: str | Path, lines: list[int]
) -> pd.DataFrame:
    """Dates must be written YYYY-MM-DD: 01/09/2019 could be read as January or September."""
    columns = [
        name
        for name, column in model.to_schema().columns.items()
        if "datetime" in str(column.dtype) and name in frame.columns
    ]
    found = []
    for name in columns:
        values = frame[name]
        bad = values.notna() & ~values.astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}")
        for index in values.index[bad]:
            found.append(
                {
                    "column": name,
                    "check": "iso_date(YYYY-MM-DD)",
                    "failure_case": values[index],
                    "index": index,
                }
            )
    return _as_failure_rows(
        pd.DataFrame(found, columns=["column", "check", "failure_case", "index"]), source, lines
    )


#: Characters refused in any text field: C0/C1 controls (tab and line ends included:
#: a field that becomes a chart label or a table cell must be one line), Unicode
#: line and paragraph separators, and invisible format characters such as bidi
#: overrides, which make a label read differently from what it holds.
_REFUSED_CATEGORIES = {"Cc", "Zl", "Zp", "Cf"}


def _refused_characters(text: str) -> list[str]:
    if text.isprintable():  # no character of Unicode's Other or Separator classes but " "
        return []
    return sorted(
        {f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) in _REFUSED_CATEGORIES}
    )


def _columns_of(model: type[pa.DataFrameModel], frame: pd.DataFrame, kind: str) -> list[str]:
    return [
        name
        for name, column in model.to_schema().columns.items()
        if kind in str(column.dtype).lower() and name in frame.columns
    ]


def _rows(found: list[dict[str, object]], source: str | Path, lines: list[int]) -> pd.DataFrame:
    return _as_failure_rows(
        pd.DataFrame(found, columns=["column", "check", "failure_case", "index"]), source, lines
    )


def value_failures(
    frame: pd.DataFrame, model: type[pa.DataFrameModel], source: str | Path, lines: list[int]
) -> pd.DataFrame:
    """Numbers must be finite; text must be NFC, one line, with no invisible controls.

    Pandera coerces "inf", "Infinity" and "nan" to floats that pass range-free checks,
    and compares text by code points, so these are checked on the text as read.
    """
    found: list[dict[str, object]] = []
    for name in _columns_of(model, frame, "float"):
        values = frame[name].dropna().astype(str)
        number = pd.to_numeric(values, errors="coerce")
        bad = number.notna() & ~np.isfinite(number.astype(float))
        bad |= values.str.strip().str.lower().isin(["nan", "inf", "+inf", "-inf", "infinity"])
        for index in values.index[bad]:
            found.append(
                {
                    "column": name,
                    "check": "finite_number",
                    "failure_case": values[index],
                    "index": index,
                }
            )
    for name in frame.columns:
        values = frame[name].dropna().astype(str)
        for index, text in values.items():
            refused = _refused_characters(text)
            if refused:
                check = f"no_control_or_separator_characters({', '.join(refused)})"
                found.append({"column": name, "check": check, "failure_case": text, "index": index})
            elif not unicodedata.is_normalized("NFC", text):
                found.append(
                    {"column": name, "check": "text_is_nfc", "failure_case": text, "index": index}
                )
    return _rows(found, source, lines)


def completeness_failures(
    frame: pd.DataFrame, window: SeriesWindow | None, source: str | Path
) -> pd.DataFrame:
    """Every period of the declared window, for every member, unless a named gap."""
    if window is None or window.column not in frame.columns:
        return _rows([], source, [])
    dates = pd.to_datetime(frame[window.column], format="%Y-%m-%d", errors="coerce")
    expected = window.expected(dates.max())
    if window.by is None:
        have = {(day, "") for day in dates.dropna()}
        wanted = [(day, "") for day in expected]
    else:
        have = set(zip(dates, frame[window.by], strict=True))
        wanted = [(day, member) for day in expected for member in window.members]
    missing = [
        (day, member)
        for day, member in wanted
        if (day, member) not in have and (f"{day:%Y-%m-%d}", member) not in window.gaps
    ]
    label = "months" if window.freq == "MS" else "days"
    check = f"every_period_present({label} {expected[0]:%Y-%m-%d}..{expected[-1]:%Y-%m-%d})"
    found = [
        {
            "column": window.column,
            "check": check,
            "failure_case": f"{day:%Y-%m-%d}" + (f" {member}" if member else "") + " missing",
            "index": None,
        }
        for day, member in missing
    ]
    return _rows(found, source, [])


def accessed_failures(frame: pd.DataFrame, sidecar: Sidecar, source: str | Path) -> pd.DataFrame:
    """A snapshot cannot have been accessed before the last date its data holds."""
    accessed = sidecar.accessed
    dates = [
        pd.to_datetime(frame[name], errors="coerce").max()
        for name in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[name])
    ]
    dates = [day for day in dates if pd.notna(day)]
    if not dates or not isinstance(accessed, dt.date) or pd.Timestamp(accessed) >= max(dates):
        return _rows([], source, [])
    found = [
        {
            "column": "accessed",
            "check": f"accessed_not_before_last_data_date({max(dates):%Y-%m-%d})",
            "failure_case": str(accessed),
            "index": None,
        }
    ]
    rows = _rows(found, source, [])
    rows["file"] = str(sidecar_path(source))
    return rows


def _short(check: str, limit: int = 70) -> str:
    """Long checks (an isin over 30 names) are cut in the message; the CSV has them whole."""
    return check if len(check) <= limit else check[: limit - 4] + " …)"


def describe_failures(failures: pd.DataFrame, source: str | Path, details: str | Path) -> str:
    """One readable paragraph per (column, check), naming the lines that broke it."""
    lines = [f"{source}: {len(failures)} failed check(s); every case is listed in {details}"]
    for (column, check), group in failures.groupby(["column", "check"], sort=False):
        where = group["line"].dropna()
        elsewhere = set(group["file"]) - {str(source)}
        if elsewhere:
            place = f"in {', '.join(sorted(elsewhere))}"
        elif where.empty:
            place = "the table as a whole"
        else:
            quoted = ", ".join(str(n) for n in where.head(MAX_LINES_QUOTED))
            more = len(where) - MAX_LINES_QUOTED
            place = f"line(s) {quoted}" + (f" and {more} more" if more > 0 else "")
        values = ", ".join(repr(v) for v in group["value"].head(3))
        lines.append(f"  - column '{column}', check '{_short(check)}': {place}; value(s) {values}")
    return "\n".join(lines)


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


def summary_path(failures_csv: str | Path) -> Path:
    """The human summary sits beside the failure cases: <table>.failures.txt."""
    return Path(failures_csv).with_suffix(".txt")


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
        "sha256": hashlib.sha256(snapshot.data).hexdigest(),
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


def network_hashrate_failures(
    cbeci_countries: pd.DataFrame,
    btc_daily: pd.DataFrame,
    countries_csv: str | Path,
    daily_csv: str | Path,
    tolerance: float,
) -> pd.DataFrame:
    """CCAF's monthly EH/s, summed over countries, against Coin Metrics' monthly mean.

    Both measure the network's hashrate; they agree within 0.02 % in the real data.
    Months that only one of them covers are not compared.
    """
    ccaf = cbeci_countries.groupby("date")["abs_hashrate_ehs"].sum()
    daily = btc_daily.set_index("date")["hashrate_ehs"]
    coin_metrics = daily.groupby(daily.index.to_period("M").to_timestamp()).mean()
    both = pd.concat({"ccaf": ccaf, "coin_metrics": coin_metrics}, axis=1).dropna()
    off = (both["ccaf"] / both["coin_metrics"] - 1).abs() > tolerance
    check = f"ccaf_ehs_matches_coin_metrics_hashrate(within {tolerance:.0%})"
    found = [
        {
            "column": "abs_hashrate_ehs",
            "check": check,
            "failure_case": (
                f"{month:%Y-%m}: CCAF {row.ccaf:.2f} EH/s, Coin Metrics "
                f"{row.coin_metrics:.2f} EH/s in {daily_csv}"
            ),
            "index": None,
        }
        for month, row in both[off].iterrows()
    ]
    return _rows(found, countries_csv, [])
