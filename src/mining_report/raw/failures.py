"""Failure cases as a plain table (file, line, column, check, value) and as a readable
verdict: pandera's findings collapsed to one row per offending line and the cause of a
cascade, each row on the file line it came from, and one paragraph per (column, check)
naming those lines."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.errors

#: How many offending lines a message quotes per (column, check) before summarising.
MAX_LINES_QUOTED = 8


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
    return as_failure_rows(cases, source, lines)


def as_failure_rows(
    cases: pd.DataFrame, source: str | Path, lines: list[int] | None
) -> pd.DataFrame:
    """Failure cases (column, check, failure_case, index) as rows of ``source``, each
    on the file line its data row starts on."""
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


def failure_rows(
    found: list[dict[str, object]], source: str | Path, lines: list[int]
) -> pd.DataFrame:
    """Failures found by a check of the package's own, as rows of ``source``."""
    return as_failure_rows(
        pd.DataFrame(found, columns=["column", "check", "failure_case", "index"]), source, lines
    )


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


def summary_path(failures_csv: str | Path) -> Path:
    """The human summary sits beside the failure cases: <table>.failures.txt."""
    return Path(failures_csv).with_suffix(".txt")
