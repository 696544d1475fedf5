"""Small tables the report prints, written as CSV for the document's table blocks."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa

from .dictionary import describe
from .tables import key_of


def sources_table(
    validations: dict[str, dict[str, Any]], sidecars: dict[str, dict[str, Any]]
) -> pd.DataFrame:
    """One row per raw snapshot: producer, licence, rows and checks passed."""
    rows = []
    for table in sorted(validations):
        meta, valid = sidecars[table], validations[table]
        rows.append(
            {
                "Raw table": table,
                "Source": f"{meta.get('author') or meta['producer']}: {meta['title']}",
                "Licence": meta.get("licence_id") or meta["licence"],
                "Accessed": str(meta["accessed"]),
                "Rows": valid["rows"],
                "Checks passed": valid["checks"],
            }
        )
    return pd.DataFrame(rows)


def cleaned_tables_table(
    models: dict[str, type[pa.DataFrameModel]], row_counts: dict[str, int]
) -> pd.DataFrame:
    """One row per cleaned table: what it holds, its key and its size."""
    rows = []
    for table in sorted(models):
        title, _ = describe(models[table])
        rows.append(
            {
                "Table": table,
                "What it holds": title,
                "Key": ", ".join(key_of(models[table])),
                "Rows": row_counts[table],
            }
        )
    return pd.DataFrame(rows)


def conflicts_table(source_conflicts: pd.DataFrame) -> pd.DataFrame:
    """The conflict ledger as the report prints it."""

    def claim(row: pd.Series, side: str) -> str:
        unit = row[f"claim_{side}_unit"]
        value = row[f"claim_{side}_value"]
        # The printed table names the publisher; the URL stays in source_conflicts.csv.
        source = str(row[f"claim_{side}_source"]).split(", http", 1)[0]
        return f"{value} {unit}".strip() + f" ({source})"

    return pd.DataFrame(
        {
            "Topic": source_conflicts["topic"],
            "Claim A": source_conflicts.apply(claim, axis=1, side="a"),
            "Claim B": source_conflicts.apply(claim, axis=1, side="b"),
            "Used": source_conflicts["used"].map({"a": "A", "b": "B", "neither": "neither"}),
            "Why": source_conflicts["why"],
        }
    )
