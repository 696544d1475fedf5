"""``make explain VAR=<name>``: where a number of the report comes from, in the terminal.

Reads the built ``reports/_build/lineage.json`` (run ``make report`` first) and prints the
variable's value, what it is, how it is computed (operation, table, filter, column),
the rows used, the raw files and lines behind them, and the sources cited for them.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

from mining_report.numbers.lineage import Condition, Selection
from mining_report.numbers.lineage_records import read_lineage
from mining_report.numbers.raw_lines import line_ranges

LINEAGE = Path("reports/_build/lineage.json")
#: Where a table a record names is kept, when it is not a cleaned table.
TABLE_FILES = {
    "machine_flows": "data/interim/machine_flows.parquet",
    "raw_tables": "data/processed/validation/<table>.valid.json + the sidecars",
}


def _condition(condition: Condition) -> str:
    if condition.op in ("notna", "isna"):
        return f"{condition.column} {'is set' if condition.op == 'notna' else 'is empty'}"
    return f"{condition.column} {condition.op} {condition.value!r}"


def _selection(part: Selection) -> str:
    what = f"{part.op}({part.column}" + (f" by {part.by}" if part.by else "") + ")"
    text = f"{what} over {part.table}"
    if part.where:
        text += " where " + " and ".join(_condition(c) for c in part.where)
    if part.group_by:
        agg = "row count" if part.group_agg == "count" else f"sum of {part.by or part.column}"
        text += f", per {', '.join(part.group_by)} ({agg})"
    if part.having:
        text += " keeping groups where " + " and ".join(_condition(c) for c in part.having)
    return text


def explain(name: str, path: Path = LINEAGE) -> str:
    """The lineage of variable ``name`` as text; KeyError naming close matches if unknown."""
    records = read_lineage(path.read_text(encoding="utf-8")).records
    if name not in records:
        close = difflib.get_close_matches(name, records, n=5, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"no variable '{name}' in {path}{hint}")
    record = records[name]
    lineage = record.lineage
    lines = [f"{name} = {record.value}", f"  what:     {lineage.formula}"]
    if lineage.filter:
        lines.append(f"  rows:     {lineage.filter}")
    parts = [_selection(part) for part in lineage.parts]
    if lineage.combine == "ratio":
        lines.append(f"  computed: ({parts[0]}) / ({parts[1]}) x 100")
    elif lineage.combine == "fall":
        lines.append(f"  computed: (1 - ({parts[0]}) / ({parts[1]})) x 100")
    elif lineage.combine == "rise":
        lines.append(f"  computed: (({parts[0]}) / ({parts[1]}) - 1) x 100")
    elif lineage.combine == "difference":
        lines.append(f"  computed: ({parts[0]}) - ({parts[1]})")
    else:
        lines.append(f"  computed: {parts[0]}")
    fmt = lineage.format
    lines.append(f"  format:   {fmt.kind}" + (f", {fmt.decimals} decimals" if fmt.decimals else ""))
    lines.append(f"  columns:  {', '.join(record.columns)}")
    shown = "" if record.row_count <= len(record.rows) else f", first {len(record.rows)} shown"
    lines.append(f"  used {record.row_count} row(s){shown}:")
    for row in record.rows:
        key = ", ".join(f"{k}={v}" for k, v in row.key.items())
        where = TABLE_FILES.get(row.table, f"data/processed/{row.table}.parquet")
        lines.append(f"    {where}  {key}")
    lines.append("  raw lines (header = line 1):")
    for raw in record.raw:
        lines.append(f"    {raw.path}  {line_ranges(raw.lines)}")
    lines.append("  sources:")
    for source in record.sources:
        lines.append(
            f"    [{source.key}] {source.text}" + (f" <{source.url}>" if source.url else "")
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="the variable, as {{< var name >}} writes it")
    parser.add_argument("--lineage", type=Path, default=LINEAGE)
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,99}", args.name):
        print(f"ERROR: VAR must be a number's name (a-z, 0-9, _), not {args.name!r}",
              file=sys.stderr)  # fmt: skip
        return 2
    if not args.lineage.is_file():
        print(f"ERROR: {args.lineage} does not exist; run 'make report' first", file=sys.stderr)
        return 1
    try:
        print(explain(args.name, args.lineage))
    except KeyError as err:
        print(f"ERROR: {err.args[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
