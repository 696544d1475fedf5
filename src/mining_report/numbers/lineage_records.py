"""From the lineage each variable carries to the records of ``reports/_build/lineage.json``.

For every quoted value: recompute it from the rows its lineage names (a mismatch or
a value without lineage stops the build), list the keys of those rows, find the raw
lines behind them (:mod:`.raw_lines`) and the sources cited for those lines, and say
it all in words for a reader (the page's popover and the PDF's appendix), who never
sees a file name, a row id or a column's code name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import pandas as pd

from mining_report.derive.catalog import CLEANED_MODELS
from mining_report.derive.conventions import key_of
from mining_report.formatting import day_text, month_text, reader_value, typographic
from mining_report.numbers.lineage import (
    ROW_LIMIT,
    LineageFile,
    Quoted,
    RawLines,
    Record,
    RowKey,
    Selection,
    Source,
    _plain,
    recompute,
)
from mining_report.numbers.lineage import selected_rows as select
from mining_report.numbers.raw_lines import RawIndex, line_ranges, raw_lines
from mining_report.raw.provenance import Sidecar

#: Tables a record may name that are not cleaned tables: their key and title.
EXTRA_KEYS: dict[str, list[str]] = {
    "machine_flows": ["figure_id"],
    "source_statements": ["statement_id"],
    "raw_tables": ["table"],
}
RAW_TABLES_TITLE = "The raw tables, with the rows and checks their validation counted"
RAW_TABLES_COLUMNS = {
    "title": "Raw table",
    "rows": "Rows",
    "checks": "Checks passed",
    "licence_id": "Licence",
    "author": "Author",
}

#: Per table, the columns that name a row for a reader (ids are not shown).
ROW_LABELS: dict[str, list[str]] = {
    "hashrate_by_country": ["country", "month"],
    "hashrate_by_province": ["province", "month"],
    "hashrate_migration": ["country", "period", "month"],
    "shutdowns": ["jurisdiction", "date_announced"],
    "shutdown_exposure": ["weights", "date"],
    "price_trends": ["week_start"],
    "price_recovery": ["series"],
    "difficulty_adjustments": ["date"],
    "asic_prices": ["month", "efficiency_class"],
    "asic_price_index_quotes": ["efficiency_class", "date"],
    "machine_exports": ["metric", "date_reported"],
    "machine_exports_by_destination": ["destination_country"],
    "source_conflicts": ["topic"],
    "machine_flows": ["metric", "date_reported"],
    "source_statements": ["topic", "source_publisher"],
    "raw_tables": ["title"],
}
#: Columns that hold ids: kept in the record, never shown to a reader.
HIDDEN_COLUMNS = {"event_id", "figure_id", "conflict_id", "figure_ids", "table", "statement_id"}
#: The press tables with one cited source per row: table → id column.
PRESS_ROWS = {
    "events": "event_id",
    "machine_flows": "figure_id",
    "published_figures": "figure_id",
    "source_statements": "statement_id",
}
#: Rows and sources a reader sees at most; the rest are counted.
SHOWN_ROWS = 5
SHOWN_SOURCES = 3
#: Names of the weekly series, as the text names them.
SERIES_NAMES = {
    "btc_close_usd": "the price of bitcoin",
    "hashrate_ehs_7d": "the network's hashrate",
    "difficulty": "the mining difficulty",
    "hashprice_usd_per_th_day": "hashprice",
}
#: Short column headers for the popover's small tables; other columns use the first
#: clause of their description.
HEADERS = {
    "month": "Month",
    "date": "Day",
    "week_start": "Week of",
    "country": "Country",
    "province": "Province",
    "series": "Series",
    "period": "Moment",
    "jurisdiction": "Jurisdiction",
    "date_announced": "Announced",
    "metric": "Figure",
    "date_reported": "Reported",
    "value": "Value",
    "destination_country": "Destination",
    "efficiency_class": "Efficiency class",
    "topic": "Topic",
    "title": "Raw table",
}
_CODE = re.compile(r"[a-z]+(?:_[a-z0-9]+)+")


def table_keys(tables: Mapping[str, Any]) -> dict[str, list[str]]:
    """The key columns of every table a record may name."""
    return _model_keys() | EXTRA_KEYS


@cache
def _model_keys() -> dict[str, list[str]]:
    return {name: key_of(model) for name, model in CLEANED_MODELS.items()}


def table_title(table: str, sidecars: Mapping[str, Sidecar]) -> str:
    """A table's title in words: its model's first docstring line, or its sidecar's title."""
    if table in CLEANED_MODELS:
        doc = (CLEANED_MODELS[table].__doc__ or table).strip().splitlines()[0]
        return doc.rstrip(".")
    if table == "raw_tables":
        return RAW_TABLES_TITLE
    return sidecars[table].title


def column_title(table: str, column: str, sidecars: Mapping[str, Sidecar]) -> str:
    """A column's name in words: a short header, or its description in the model or the
    sidecar, to its first comma."""
    if column in HEADERS:
        return HEADERS[column]
    return _first_clause(_described(table, column, sidecars))


def _first_clause(text: str) -> str:
    text = re.split(r"[,;(]| - ", text)[0].strip()
    return _CODE.sub(lambda m: m[0].replace("_", " "), text[:1].upper() + text[1:])


def _described(table: str, column: str, sidecars: Mapping[str, Sidecar]) -> str:
    if table in CLEANED_MODELS:
        found = CLEANED_MODELS[table].to_schema().columns.get(column)
        if found is not None and found.description:
            return str(found.description)
    if table == "raw_tables":
        return RAW_TABLES_COLUMNS.get(column, column.replace("_", " "))
    sidecar = sidecars.get(table)
    described = sidecar.columns.get(column) if sidecar else None
    if described:
        return described
    return column.replace("_", " ").capitalize()


def reader_cell(column: str, value: Any) -> str:
    """A cell as a reader reads it: dates in words, numbers separated, no codes."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return "\u2013"
    if isinstance(value, pd.Timestamp):
        return month_text(value) if column.endswith("month") else day_text(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) or (isinstance(value, float) and float(value).is_integer()):
        return f"{int(value):,}"
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.2f}"
        text = f"{value:,.4f}"
        return text[:-2] + text[-2:].rstrip("0") if text.endswith("0") else text
    text = str(value)
    if column == "series":
        return SERIES_NAMES.get(text, text)
    if text.startswith("not by "):
        return "not by " + reader_value(text.removeprefix("not by "))
    text = reader_value(text)
    return _CODE.sub(lambda m: m[0].replace("_", " "), text)


def _href(table: str, raw_csvs: Mapping[str, str]) -> str | None:
    if table in CLEANED_MODELS:
        return f"data/tables/{table}.csv"
    if table in raw_csvs:
        return raw_csvs[table]  # published at the same place beside the page
    return None


def _sources(
    lines: Mapping[str, list[int]], index: RawIndex, sidecars: Mapping[str, Sidecar]
) -> list[Source]:
    out: dict[str, Source] = {}
    for table, numbers in lines.items():
        if table in PRESS_ROWS:
            rows = index.raw(table)
            for row in rows[rows["line"].isin(numbers)].to_dict("records"):
                key = f"{table}-{row[PRESS_ROWS[table]]}"
                publisher = row.get("source_publisher") or ""
                title = (row.get("source_title") or "").strip("()")
                text = f"{publisher}: {title}" if publisher and title else publisher or title
                out[key] = Source(key=key, text=text, url=row.get("source_url") or None)
        else:
            meta = sidecars[table]
            out[table] = Source(
                key=table, text=f"{meta.creator}, {meta.title}", url=meta.url or None
            )
    return list(out.values())


def _reader_rows(
    table: str, rows: pd.DataFrame, columns: list[str], sidecars: Mapping[str, Sidecar]
) -> dict[str, Any]:
    shown = [c for c in [*ROW_LABELS.get(table, []), *columns] if c not in HIDDEN_COLUMNS]
    shown = list(dict.fromkeys(c for c in shown if c in rows.columns))
    first = rows.head(max(SHOWN_ROWS, 3)).to_dict("records")
    body = [[reader_cell(c, row[c]) for c in shown] for row in first[:SHOWN_ROWS]]
    labels = [
        ", ".join(reader_cell(c, row[c]) for c in ROW_LABELS.get(table, []) if c in rows.columns)
        for row in first[:3]
    ]
    return {
        "head": [column_title(table, c, sidecars) for c in shown],
        "body": body,
        "more": max(len(rows) - SHOWN_ROWS, 0),
        "count": len(rows),
        "labels": labels,
    }


def _display_order(rows: pd.DataFrame, part: Selection) -> pd.DataFrame:
    """The row that decided an extreme first, so the popover shows it."""
    if part.group_by:
        return rows
    by = part.by or part.column
    if part.op in ("argmax", "max") and by in rows.columns:
        return rows.sort_values(by, ascending=False, kind="stable")
    if part.op in ("argmin", "min") and by in rows.columns:
        return rows.sort_values(by, kind="stable")
    if part.op == "last":
        return rows.iloc[::-1]
    return rows


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def build_record(
    name: str,
    value: Quoted,
    tables: Mapping[str, pd.DataFrame],
    index: RawIndex,
    sidecars: Mapping[str, Sidecar],
) -> Record:
    """One variable's record: recomputed, with its rows, raw lines, sources and words."""
    lineage = value.lineage
    keys = table_keys(tables)
    again = recompute(lineage, tables, keys)
    if again != str(value):
        raise ValueError(
            f"variable {name}: its lineage recomputes {again!r}, but the text quotes {str(value)!r}"
        )
    by_table: dict[str, pd.DataFrame] = {}
    columns: dict[str, list[str]] = {}
    for part in lineage.parts:
        rows = _display_order(select(tables, part), part)
        previous = by_table.get(part.table)
        by_table[part.table] = rows if previous is None else pd.concat([previous, rows])
        used = [c for c in (part.column, part.by) if c and c in tables[part.table].columns]
        columns.setdefault(part.table, [])
        columns[part.table] += [c for c in used if c not in columns[part.table]]
    listed, lines = [], {}
    for table, rows in by_table.items():
        rows = rows[~rows.index.duplicated()]
        by_table[table] = rows
        for key in rows[keys[table]].head(ROW_LIMIT).to_dict("records"):
            listed.append(RowKey(table=table, key={k: _plain(v) for k, v in key.items()}))
        for raw, numbers in raw_lines(index, table, rows).items():
            lines[raw] = sorted(set(lines.get(raw, [])) | set(numbers))
    raw = [RawLines(table=t, path=index.raw_csvs[t], lines=n) for t, n in sorted(lines.items())]
    sources = _sources(lines, index, sidecars)
    reader = {
        "value": str(value),
        "formula": _capital(lineage.formula),
        "filter": lineage.filter,
        "tables": [
            {
                "title": table_title(table, sidecars),
                "href": _href(table, index.raw_csvs),
                **_reader_rows(table, rows, columns[table], sidecars),
            }
            for table, rows in by_table.items()
        ],
        "raw": [
            {
                "title": table_title(item.table, sidecars),
                "short": table_title(item.table, sidecars).split(":")[0],
                "href": item.path,
                "lines": line_ranges(item.lines),
            }
            for item in raw
        ],
        "sources": [{"text": s.text, "href": s.url} for s in sources[:SHOWN_SOURCES]],
        "short_sources": _first_few(list(dict.fromkeys(_short(s) for s in sources))),
        "more_sources": max(len(sources) - SHOWN_SOURCES, 0),
    }
    return Record(
        name=name,
        value=str(value),
        lineage=lineage,
        tables=list(by_table),
        rows=listed,
        row_count=sum(len(rows) for rows in by_table.values()),
        columns=[f"{t}.{c}" for t, cs in columns.items() for c in cs],
        raw=raw,
        sources=sources,
        reader=_set_quotes(reader),
    )


def _set_quotes(node: Any, key: str | None = None) -> Any:
    """The words a reader sees, with their quotes set as the prose's are; addresses
    and the value (as the text quotes it) stay as they are."""
    if isinstance(node, dict):
        return {k: _set_quotes(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_set_quotes(item, key) for item in node]
    if isinstance(node, str) and key not in ("href", "value"):
        return typographic(node)
    return node


def _first_few(names: list[str]) -> list[str]:
    """The first sources by name, and how many more: a validation count rests on every
    page the raw tables cite, which the appendix need not list line by line."""
    if len(names) <= SHOWN_SOURCES + 1:
        return names
    return [*names[:SHOWN_SOURCES], f"{len(names) - SHOWN_SOURCES} more"]


def _short(source: Source) -> str:
    """A source as the appendix names it: the publisher or author, without the title."""
    return source.text.split(":")[0].split(", ")[0]


def lineage_records(
    values: Mapping[str, str],
    tables: Mapping[str, pd.DataFrame],
    raw_csvs: Mapping[str, str],
    sidecars: Mapping[str, Sidecar],
    baseline_month: str,
) -> LineageFile:
    """A record for every variable; a variable without lineage is an error."""
    bare = sorted(name for name, value in values.items() if not isinstance(value, Quoted))
    if bare:
        raise ValueError(
            f"variables without lineage: {', '.join(bare)}; return them with "
            "lineage.quote() from the function that computes them"
        )
    index = RawIndex(raw_csvs, tables, pd.Timestamp(baseline_month))
    records = {
        name: build_record(name, value, tables, index, sidecars)  # type: ignore[arg-type]
        for name, value in sorted(values.items())
    }
    return LineageFile(records=records)


def to_json(lineage: LineageFile) -> str:
    """The lineage file's text: sorted keys, non-ASCII kept, one trailing newline."""
    return records_json(lineage.model_dump(mode="json")["records"])


def records_json(records: Mapping[str, Any]) -> str:
    """Lineage records (as JSON values) as the lineage file's text, sorted by name."""
    # One record a line: the file stays small and a diff shows which number changed.
    lines = [
        f"{json.dumps(name)}: {json.dumps(records[name], ensure_ascii=False)}"
        for name in sorted(records)
    ]
    return '{"records": {\n' + ",\n".join(lines) + "\n}}\n"


def read_lineage(text: str) -> LineageFile:
    """Parse and validate ``reports/_build/lineage.json``."""
    return LineageFile.model_validate_json(text)
