"""Read a raw CSV as text, checking its structure where pandas would guess: UTF-8
without byte-order mark, no NUL byte, quotes that close, unique column names, as many
fields in every record as in the header; with the file line each data row starts on."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mining_report.errors import ValidationFailed


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
