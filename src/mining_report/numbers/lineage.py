"""Where each quoted number comes from: a lineage record made by the function that
computes the number, and a small evaluator that recomputes it from the rows it names.

A variable of the report is a :class:`Quoted` string: it compares equal to the text
the prose prints, and carries a :class:`Lineage` saying, in a closed vocabulary, how
to get that text again from the cleaned tables: which rows (a filter), which column,
which operation (``value``, ``max``, ``argmax``, ``sum``, ``count`` ...) and which
formatting. Each ``numbers`` job recomputes the records of its group (a record that
does not give its number back stops the build) and adds the keys of the rows used,
the raw lines behind them (:mod:`.raw_lines`) and what a reader is shown
(:mod:`.lineage_reader`); ``report_variables`` joins the groups' records into
``reports/_build/lineage.json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from mining_report.formatting import day_text, month_text, number, percent, with_unit
from mining_report.vocabularies import ORDINALS

#: Comparisons a filter may make: column, operator, value.
Operator = Literal["==", "!=", "<", "<=", ">", ">=", "in", "not in", "notna", "isna"]
#: What a selection reduces its rows to.
Operation = Literal[
    "value", "min", "max", "sum", "count", "nunique", "argmin", "argmax", "first", "last", "list"
]
#: How two selections combine: a / b x 100, (1 - a / b) x 100, (a / b - 1) x 100, or a - b.
Combination = Literal["ratio", "fall", "rise", "difference"]
FormatKind = Literal[
    "percent", "number", "count", "unit", "day", "month", "text", "label", "ordinal",
    "names", "and_list", "month_list", "licence", "outlet",
]  # fmt: skip


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """One comparison of a filter: ``[column, operator, value]``."""

    column: str
    op: Operator
    value: Any = None


class Selection(_Strict):
    """Rows of one table, optionally grouped, reduced to one value by ``op``.

    ``group_by`` sums (or counts, ``group_agg``) ``column`` per group first; ``having``
    then filters the groups. ``argmin``/``argmax`` return ``column`` of the row whose
    ``by`` is least/greatest, the first such row in ``order`` (default: the table's key
    or the groups). ``first``/``last`` take ``column`` of the first/last row in ``order``.
    """

    table: str
    where: list[Condition] = Field(default_factory=list)
    column: str | None = None
    op: Operation = "value"
    by: str | None = None
    order: list[str] = Field(default_factory=list)
    descending: bool = False
    group_by: list[str] = Field(default_factory=list)
    group_agg: Literal["sum", "count"] = "sum"
    having: list[Condition] = Field(default_factory=list)


class Format(_Strict):
    """How the computed value is written (see :func:`format_value`)."""

    kind: FormatKind
    decimals: int = 0
    unit: str | None = None
    absolute: bool = False
    labels: dict[str, str] = Field(default_factory=dict)
    missing: str | None = None


class Lineage(_Strict):
    """How one quoted value is computed, as the function that computed it records it."""

    formula: str = Field(min_length=3, description="What the number is, in words")
    filter: str | None = Field(None, description="The rows used, in words, when many are")
    parts: list[Selection] = Field(min_length=1, max_length=2)
    combine: Combination | None = None
    format: Format


class RawLines(_Strict):
    """Lines of one raw CSV (1-based, the header is line 1) behind the rows used."""

    table: str
    path: str
    lines: list[int]


class Source(_Strict):
    """A cited source behind the rows: its citation key, words and address."""

    key: str
    text: str
    url: str | None = None


class RowKey(_Strict):
    """One row used: its table and the values of the table's key columns."""

    table: str
    key: dict[str, Any]


class Record(_Strict):
    """A variable's lineage as written to ``reports/_build/lineage.json``."""

    name: str
    value: str
    lineage: Lineage
    tables: list[str]
    rows: list[RowKey] = Field(description="Keys of the rows used (up to ROW_LIMIT per table)")
    row_count: int = Field(ge=0)
    columns: list[str]
    raw: list[RawLines]
    sources: list[Source]
    reader: dict[str, Any] = Field(description="What the page and the PDF show a reader")


class LineageFile(_Strict):
    """The whole of ``reports/_build/lineage.json``: one record per variable."""

    records: dict[str, Record]


#: Keys of at most this many rows are listed in a record; beyond, the filter stands.
ROW_LIMIT = 12


class Quoted(str):
    """A quoted value that compares equal to its text and knows where it came from."""

    lineage: Lineage

    def __new__(cls, text: str, lineage: Lineage) -> Quoted:
        quoted = super().__new__(cls, text)
        quoted.lineage = lineage
        return quoted


def where(*conditions: tuple) -> list[Condition]:
    """``where(("country", "==", "China"), ("share_pct", "notna"))``."""
    out = []
    for condition in conditions:
        column, op, *value = condition
        out.append(Condition(column=column, op=op, value=_plain(value[0]) if value else None))
    return out


def _plain(value: Any) -> Any:
    """A JSON-ready filter value: dates as ISO text, numpy scalars as Python ones."""
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "item"):
        return value.item()
    return value


def quote(
    text: str,
    formula: str,
    *parts: Selection,
    fmt: Format,
    combine: Combination | None = None,
    filter: str | None = None,
) -> Quoted:
    """``text`` with its lineage: the computation in words and in the closed vocabulary."""
    lineage = Lineage(
        formula=formula, filter=filter, parts=list(parts), combine=combine, format=fmt
    )
    return Quoted(text, lineage)


def pick(table: str, column: str | None = None, **kwargs: Any) -> Selection:
    """A selection; ``where`` may be given as tuples."""
    for key in ("where", "having"):
        if key in kwargs and kwargs[key] and isinstance(kwargs[key][0], tuple):
            kwargs[key] = where(*kwargs[key])
    return Selection(table=table, column=column, **kwargs)


# --------------------------------------------------------------------------------------
# Recomputation
# --------------------------------------------------------------------------------------


def _compare(series: pd.Series, condition: Condition) -> pd.Series:
    value = condition.value
    if pd.api.types.is_datetime64_any_dtype(series) and value is not None:
        value = [pd.Timestamp(v) for v in value] if isinstance(value, list) else pd.Timestamp(value)
    match condition.op:
        case "==":
            return series == value
        case "!=":
            return series != value
        case "<":
            return series < value
        case "<=":
            return series <= value
        case ">":
            return series > value
        case ">=":
            return series >= value
        case "in":
            return series.isin(value)
        case "not in":
            return ~series.isin(value)
        case "notna":
            return series.notna()
        case "isna":
            return series.isna()
    raise ValueError(f"unknown operator {condition.op!r}")


def apply_filter(table: pd.DataFrame, conditions: list[Condition]) -> pd.DataFrame:
    """The rows of ``table`` meeting every condition."""
    mask = pd.Series(True, index=table.index)
    for condition in conditions:
        if condition.column not in table.columns:
            raise KeyError(f"filter names column '{condition.column}', which the table lacks")
        mask &= _compare(table[condition.column], condition).fillna(False).astype(bool)
    return table[mask]


def selected_rows(tables: Mapping[str, pd.DataFrame], part: Selection) -> pd.DataFrame:
    """The table rows a selection reads (before grouping), groups that fail ``having`` out."""
    rows = apply_filter(tables[part.table], part.where)
    if part.group_by and part.having:
        kept = pd.MultiIndex.from_frame(_grouped(rows, part)[part.group_by])
        rows = rows[pd.MultiIndex.from_frame(rows[part.group_by]).isin(kept)]
    return rows


def _grouped(rows: pd.DataFrame, part: Selection) -> pd.DataFrame:
    """One row per group: the group's key and its sum of ``by`` (or its row count)."""
    if part.group_agg == "count":
        values = rows.groupby(part.group_by).size().rename("count")
    else:
        values = rows.groupby(part.group_by)[part.by or part.column].sum()
    frame = values.reset_index()
    return apply_filter(frame, part.having).sort_values(part.group_by, kind="stable")


def evaluate(tables: Mapping[str, pd.DataFrame], part: Selection, key: list[str]) -> Any:
    """Reduce the selected rows to one value (or a list, for ``list``)."""
    rows = apply_filter(tables[part.table], part.where)
    order = part.order or key
    if part.group_by:
        rows = _grouped(rows, part)
        order = part.order or part.group_by
    elif order:
        rows = rows.sort_values(order, kind="stable", ascending=not part.descending)
    column = part.column
    match part.op:
        case "count":
            return len(rows)
        case "value":
            if len(rows) != 1:
                raise ValueError(f"'value' needs exactly one row of {part.table}, got {len(rows)}")
            return rows[column].iloc[0]
        case "min":
            return rows[column].min()
        case "max":
            return rows[column].max()
        case "sum":
            return rows[column].sum()
        case "nunique":
            return rows[column].nunique()
        case "first":
            return rows[column].iloc[0]
        case "last":
            return rows[column].iloc[-1]
        case "list":
            return list(rows[column])
        case "argmin" | "argmax":
            by = rows[part.by or column].astype("float64").to_numpy()
            if len(by) == 0:
                raise ValueError(f"'{part.op}' over no rows of {part.table}")
            position = by.argmin() if part.op == "argmin" else by.argmax()  # first if tied
            return rows[column].iloc[int(position)]
    raise ValueError(f"unknown operation {part.op!r}")


def format_value(value: Any, fmt: Format) -> str:
    """The value as the prose prints it."""
    if isinstance(value, list):
        items = list(value)
    elif fmt.missing is not None and pd.isna(value):
        return fmt.missing
    elif fmt.absolute:
        value = abs(value)
    match fmt.kind:
        case "percent":
            return percent(float(value), fmt.decimals)
        case "number":
            return number(float(value), fmt.decimals)
        case "count":
            return number(int(value))
        case "unit":
            return with_unit(float(value), str(fmt.unit), fmt.decimals)
        case "day":
            text = str(value) if isinstance(value, str) else None
            if text and text.startswith("not by "):
                return "not by " + day_text(text.removeprefix("not by "))
            return day_text(pd.Timestamp(value))
        case "month":
            return month_text(pd.Timestamp(value))
        case "text":
            return str(value)
        case "label":
            return fmt.labels[str(value)]
        case "ordinal":
            return ORDINALS[int(value)]
        case "names":
            names = items if isinstance(value, list) else str(value).split(";")
            names = [str(part).strip() for part in names]
            names = [f"the {n}" if n == "United States" else n for n in names]
            return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        case "and_list":
            return " and ".join(str(item) for item in items)
        case "month_list":
            return ", ".join(month_text(pd.Timestamp(m)) for m in items) or "none"
        case "outlet":  # "Forkast.News, https://..." -> "Forkast.News"
            return str(value).split(",", 1)[0]
        case "licence":
            parts = str(value).split("-")
            if parts[0] != "CC" or len(parts) < 3:
                return str(value)
            return f"CC {'-'.join(parts[1:-1])} {parts[-1]}"
    raise ValueError(f"unknown format {fmt.kind!r}")


def recompute(
    lineage: Lineage, tables: Mapping[str, pd.DataFrame], keys: Mapping[str, list[str]]
) -> str:
    """The quoted text again, from the named rows of ``tables`` alone."""
    values = [evaluate(tables, part, keys.get(part.table, [])) for part in lineage.parts]
    if lineage.combine == "ratio":
        value = float(values[0]) / float(values[1]) * 100
    elif lineage.combine == "fall":
        value = (1 - float(values[0]) / float(values[1])) * 100
    elif lineage.combine == "rise":
        value = (float(values[0]) / float(values[1]) - 1) * 100
    elif lineage.combine == "difference":
        value = float(values[0]) - float(values[1])
    else:
        value = values[0]
    return format_value(value, lineage.format)
