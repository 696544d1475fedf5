"""Where each quoted number comes from, in the built project.

These tests read the built project's reports/_build/lineage.json and recompute every record
with an evaluator of their own (plain pandas, not the package's), from the rows each
record names in the tables on disk; and they check the raw line numbers against the raw
CSVs, read line by line as text.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from mining_report.formatting import day_text, month_text, number, percent, with_unit
from mining_report.numbers.lineage_records import read_lineage
from mining_report.vocabularies import CCAF_COUNTRIES, ORDINALS

from conftest import quoted_variables


@pytest.fixture(scope="module")
def records(built_project: Path) -> dict:
    text = (built_project / "reports/_build/lineage.json").read_text(encoding="utf-8")
    read_lineage(text)  # the model accepts it
    return json.loads(text)["records"]


def _table(project: Path, name: str) -> pd.DataFrame:
    if name in ("machine_flows", "source_statements"):  # validated raw tables
        return pd.read_parquet(project / f"data/interim/{name}.parquet")
    if name == "raw_tables":
        rows = []
        for path in sorted((project / "data/processed/validation").glob("*.valid.json")):
            valid = json.loads(path.read_text(encoding="utf-8"))
            meta = yaml.safe_load(Path(project / valid["file"]).with_suffix("").with_suffix(
                ".meta.yml").read_text(encoding="utf-8"))  # fmt: skip
            rows.append({"table": valid["table"], "rows": valid["rows"],
                         "checks": valid["checks"], "author": str(meta.get("author")),
                         "licence_id": str(meta.get("licence_id")),
                         "accessed": pd.Timestamp(meta["accessed"])})  # fmt: skip
        return pd.DataFrame(rows)
    return pd.read_parquet(project / f"data/processed/{name}.parquet")


def _compare(column: pd.Series, op: str, value: object) -> pd.Series:
    if op in ("notna", "isna"):
        return column.notna() if op == "notna" else column.isna()
    if op in ("in", "not in"):
        inside = column.isin(value)
        return inside if op == "in" else ~inside
    compare = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}[op]
    return getattr(column, compare)(value)


def _filter(table: pd.DataFrame, conditions: list[dict]) -> pd.DataFrame:
    for c in conditions:
        column, value = table[c["column"]], c["value"]
        if pd.api.types.is_datetime64_any_dtype(column) and value is not None:
            value = (
                [pd.Timestamp(v) for v in value] if isinstance(value, list) else pd.Timestamp(value)
            )
        table = table[_compare(column, c["op"], value).fillna(False).astype(bool)]
    return table


def _reduce(project: Path, part: dict, keys: list[str]) -> object:
    """Recompute one selection with pandas alone."""
    rows = _filter(_table(project, part["table"]), part["where"])
    order = part["order"] or keys
    if part["group_by"]:
        grouped = rows.groupby(part["group_by"])
        if part["group_agg"] == "count":
            rows = grouped.size().rename("count").reset_index()
        else:
            rows = grouped[part["by"] or part["column"]].sum().reset_index()
        rows = _filter(rows, part["having"])
        order = part["order"] or part["group_by"]
    descending = part.get("descending", False)
    rows = rows.sort_values(order, kind="stable", ascending=not descending) if order else rows
    column, by, op = part["column"], part["by"] or part["column"], part["op"]
    if op == "value":
        assert len(rows) == 1, part
        return rows[column].iloc[0]
    if op in ("argmax", "argmin"):
        values = rows[by].astype(float).tolist()
        best = max(values) if op == "argmax" else min(values)
        return rows[column].iloc[values.index(best)]  # the first of a tie
    reducers = {"count": len, "min": lambda r: r[column].min(), "max": lambda r: r[column].max(),
                "sum": lambda r: r[column].sum(), "nunique": lambda r: r[column].nunique(),
                "first": lambda r: r[column].iloc[0], "last": lambda r: r[column].iloc[-1],
                "list": lambda r: list(r[column])}  # fmt: skip
    return reducers[op](rows)


def _written(value: object, fmt: dict) -> str:
    kind, decimals = fmt["kind"], fmt["decimals"]
    if not isinstance(value, list) and fmt["missing"] is not None and pd.isna(value):
        return fmt["missing"]
    if fmt["absolute"]:
        value = abs(value)
    if kind == "day" and str(value).startswith("not by "):
        return "not by " + day_text(str(value)[7:])
    parts = str(value).split("-")  # CC-BY-NC-4.0
    names = [str(n).strip() for n in (value if isinstance(value, list) else str(value).split(";"))]
    names = [f"the {n}" if n == "United States" else n for n in names]
    written = {
        "percent": lambda: percent(float(value), decimals),
        "number": lambda: number(float(value), decimals),
        "count": lambda: f"{int(value):,}",
        "unit": lambda: with_unit(float(value), fmt["unit"], decimals),
        "day": lambda: day_text(value),
        "month": lambda: month_text(value),
        "text": lambda: str(value),
        "label": lambda: fmt["labels"][str(value)],
        "ordinal": lambda: ORDINALS[int(value)],
        "names": lambda: " and ".join([", ".join(names[:-1]), names[-1]] if names[1:] else names),
        "and_list": lambda: " and ".join(value),
        "month_list": lambda: ", ".join(month_text(m) for m in value) or "none",
        "licence": lambda: f"CC {'-'.join(parts[1:-1])} {parts[-1]}",
        "outlet": lambda: str(value).split(",")[0],
    }  # fmt: skip
    return written[kind]()


KEYS_OF = {
    "hashrate_by_country": ["month", "country"],
    "hashrate_by_province": ["month", "province"],
    "hashrate_migration": ["country", "period"],
    "shutdowns": ["event_id"],
    "shutdown_exposure": ["weights", "date"],
    "price_trends": ["week_start"],
    "price_recovery": ["series"],
    "difficulty_adjustments": ["date"],
    "asic_prices": ["month", "efficiency_class"],
    "asic_price_index_quotes": ["date", "efficiency_class"],
    "machine_exports": ["figure_id"],
    "machine_exports_by_destination": ["destination_country"],
    "source_conflicts": ["conflict_id"],
    "machine_flows": ["figure_id"],
    "source_statements": ["statement_id"],
    "raw_tables": ["table"],
}


def test_every_number_the_document_quotes_has_a_record(records: dict, built_project: Path) -> None:
    variables = yaml.safe_load((built_project / "reports/_variables.yml").read_text("utf-8"))
    used = set(quoted_variables())
    assert len(used) > 100
    assert sorted(used - set(records)) == []
    assert set(records) == set(variables)  # and every variable has one
    assert {name: r["value"] for name, r in records.items()} == variables


def test_every_record_recomputes_its_number_from_its_rows(
    records: dict, built_project: Path
) -> None:
    wrong = []
    for name, record in records.items():
        lineage = record["lineage"]
        values = [_reduce(built_project, p, KEYS_OF[p["table"]]) for p in lineage["parts"]]
        if lineage["combine"] == "ratio":
            value = float(values[0]) / float(values[1]) * 100
        elif lineage["combine"] == "fall":
            value = (1 - float(values[0]) / float(values[1])) * 100
        elif lineage["combine"] == "rise":
            value = (float(values[0]) / float(values[1]) - 1) * 100
        elif lineage["combine"] == "difference":
            value = float(values[0]) - float(values[1])
        else:
            value = values[0]
        again = _written(value, lineage["format"])
        if again != record["value"]:
            wrong.append(f"{name}: quoted {record['value']!r}, recomputed {again!r}")
    assert wrong == [], "\n".join(wrong)
    assert len(records) >= 200


def test_every_row_a_record_names_exists(records: dict, built_project: Path) -> None:
    missing = []
    for name, record in records.items():
        assert record["rows"], f"{name} names no row"
        for row in record["rows"]:
            table = _table(built_project, row["table"])
            key = row["key"]
            found = table
            for column, value in key.items():
                if pd.api.types.is_datetime64_any_dtype(found[column]):
                    value = pd.Timestamp(value)
                found = found[found[column] == value]
            if len(found) != 1:
                missing.append(f"{name}: {row}")
    assert missing == []


def _raw_text(project: Path, path: str) -> list[str]:
    return (project / path).read_text(encoding="utf-8").splitlines()


def test_ccaf_country_rows_map_one_to_one_to_their_raw_lines(
    records: dict, built_project: Path
) -> None:
    """Each row of a country record is exactly one raw line, with CCAF's own label."""
    labels = {name: label for label, name in CCAF_COUNTRIES.items()}
    lines = _raw_text(built_project, "data/raw/ccaf/cbeci_countries.csv")
    checked = 0
    for name, record in records.items():
        if record["tables"] != ["hashrate_by_country"] or record["row_count"] > len(record["rows"]):
            continue
        expected = {f"{r['key']['month']},{labels[r['key']['country']]}," for r in record["rows"]}
        (raw,) = record["raw"]
        got = {",".join(next(csv.reader([lines[n - 1]]))[:2]) + "," for n in raw["lines"]}
        assert got == expected, name
        checked += 1
    assert checked > 10


def test_raw_lines_spot_checked_against_the_csvs(records: dict, built_project: Path) -> None:
    def lines_of(name: str, table: str) -> list[str]:
        (raw,) = [r for r in records[name]["raw"] if r["table"] == table]
        text = _raw_text(built_project, raw["path"])
        return [text[n - 1] for n in raw["lines"]]

    # China in the baseline month: CCAF's row as published.
    (row,) = lines_of("china_share_baseline", "cbeci_countries")
    assert row.startswith("2021-01-01,Mainland China,53.30,")
    # A press figure: its row of machine_flows, by id.
    (row,) = lines_of("s19_price_fall", "machine_flows")
    assert row.startswith("M30,") and ",41.7," in row
    # A measure's day: its row of events.
    (row,) = lines_of("day_e08", "events")
    assert row.startswith("E08,2021-06-09,")
    # The base week's index: the 7 days, Monday to Sunday, of that week.
    days = [line.split(",")[0] for line in lines_of("index_base", "coinmetrics_btc_daily")]
    assert days == [f"2021-05-{d}" for d in range(10, 17)]
    # A province's share of the world also needs China's row of that month.
    assert {r["table"] for r in records["xinjiang_global_baseline"]["raw"]} == {
        "cbeci_provinces", "cbeci_countries"
    }  # fmt: skip


def test_make_explain_prints_the_lineage_or_names_close_matches(built_project: Path) -> None:
    lineage = built_project / "reports/_build/lineage.json"
    command = [sys.executable, "-m", "mining_report.report.explain", "--lineage", str(lineage)]
    env = {"PATH": "/usr/bin:/bin"}
    done = subprocess.run([*command, "china_share_baseline"], capture_output=True, text=True,
                          env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "China's share of global hashrate in January 2021" in done.stdout
    assert "data/raw/ccaf/cbeci_countries.csv  line " in done.stdout
    assert "[cbeci_countries]" in done.stdout
    done = subprocess.run([*command, "china_share_basline"], capture_output=True, text=True,
                          env=env)  # fmt: skip
    assert done.returncode == 1
    assert "did you mean china_share_baseline" in done.stderr
