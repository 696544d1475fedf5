"""The build writes the machine tables, as Parquet and CSV with the same rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest


@pytest.mark.parametrize(
    ("table", "rows"),
    [("machine_exports", 42), ("machine_exports_by_destination", 6), ("source_conflicts", 14)],
)
def test_pipeline_writes_the_machine_tables(built_project: Path, table: str, rows: int) -> None:
    parquet = pd.read_parquet(built_project / f"data/processed/{table}.parquet")
    csv = pd.read_csv(built_project / f"data/processed/{table}.csv", dtype=str)
    assert len(parquet) == len(csv) == rows
    assert list(parquet.columns) == list(csv.columns)
