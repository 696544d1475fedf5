"""The checks of a raw snapshot that its pandera model cannot make on typed values:
dates written YYYY-MM-DD, finite numbers, text that is NFC and one line with no
invisible controls (checked on the text as read), every period of a declared window
present, and a sidecar not accessed before the last date its data holds."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from mining_report.raw.failures import as_failure_rows, failure_rows
from mining_report.raw.models.windows import SeriesWindow
from mining_report.raw.provenance import Sidecar, sidecar_path


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
    return as_failure_rows(
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
    return failure_rows(found, source, lines)


def completeness_failures(
    frame: pd.DataFrame, window: SeriesWindow | None, source: str | Path
) -> pd.DataFrame:
    """Every period of the declared window, for every member, unless a named gap."""
    if window is None or window.column not in frame.columns:
        return failure_rows([], source, [])
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
    return failure_rows(found, source, [])


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
        return failure_rows([], source, [])
    found = [
        {
            "column": "accessed",
            "check": f"accessed_not_before_last_data_date({max(dates):%Y-%m-%d})",
            "failure_case": str(accessed),
            "index": None,
        }
    ]
    rows = failure_rows(found, source, [])
    rows["file"] = str(sidecar_path(source))
    return rows
