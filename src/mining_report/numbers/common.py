"""What the groups of numbers share: joining them and writing them for Quarto, small
helpers, and the lineage shorthands (the tables and the formats the records name, and
the table of raw tables the data section's records read)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import yaml

from mining_report.numbers.lineage import Format
from mining_report.raw.provenance import Sidecar


def to_yaml(variables: dict[str, Any]) -> str:
    """Quarto's _variables.yml: every value quoted as a string, keys sorted."""
    return yaml.safe_dump(
        {key: str(value) for key, value in variables.items()},
        sort_keys=True,
        allow_unicode=True,
        default_style='"',
    )


def merge(*parts: dict[str, str]) -> dict[str, str]:
    """Join variable sets; a name defined twice is a bug."""
    merged: dict[str, str] = {}
    for part in parts:
        clash = set(merged) & set(part)
        if clash:
            raise ValueError(f"variables defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


def whose(name: str) -> str:
    """A place as an owner: "the United States'", "all of China's", "Xinjiang's"."""
    name = {"United States": "the United States", "national": "all of China"}.get(name, name)
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def share(hashrate_by_country: pd.DataFrame, country: str, month: pd.Timestamp) -> float:
    """One country's share of global hashrate in one month; an absent row is an error."""
    row = hashrate_by_country[
        (hashrate_by_country["country"] == country) & (hashrate_by_country["month"] == month)
    ]
    if len(row) != 1:
        raise KeyError(f"no single hashrate_by_country row for {country} in {month:%Y-%m}")
    return float(row["share_pct"].iloc[0])


def peak(series: pd.Series) -> tuple[pd.Timestamp, float]:
    """The maximum of a series indexed by date, and its first date if tied."""
    if series.empty:
        raise ValueError("no values to take a peak of")
    series = series.sort_index()  # idxmax takes the first row: make it the first date
    return series.idxmax(), float(series.max())


# --------------------------------------------------------------------------------------
# Lineage shorthands: the tables and the formats the records name
# --------------------------------------------------------------------------------------

COUNTRY = "hashrate_by_country"
PROVINCE = "hashrate_by_province"
MIGRATION = "hashrate_migration"
SHUTDOWNS = "shutdowns"
EXPOSURE = "shutdown_exposure"
RECOVERY = "price_recovery"
TRENDS = "price_trends"
DIFFICULTY = "difficulty_adjustments"
ASIC = "asic_prices"
QUOTES = "asic_price_index_quotes"
EXPORTS = "machine_exports"
DESTINATIONS = "machine_exports_by_destination"
CONFLICTS = "source_conflicts"
#: The validated press table of machine figures (not a cleaned table).
FLOWS = "machine_flows"
#: The validated press table of sources' own words (not a cleaned table).
STATEMENTS = "source_statements"
#: One row per raw table: its validation record and its sidecar (see raw_tables_frame).
RAW_TABLES = "raw_tables"

MONTH = Format(kind="month")
DAY = Format(kind="day")
COUNT = Format(kind="count")
TEXT = Format(kind="text")
SHARE = Format(kind="percent", decimals=2)


def _on(month: pd.Timestamp) -> tuple:
    return ("month", "==", month)


def _is(column: str, value: object) -> tuple:
    return (column, "==", value)


def raw_tables_frame(
    validations: list[dict[str, object]], sidecars: Mapping[str, Sidecar]
) -> pd.DataFrame:
    """One row per raw table: its validation record (rows, checks) and its sidecar."""
    rows = []
    for record in validations:
        meta = sidecars.get(str(record["table"]))
        rows.append(
            {
                "table": str(record["table"]),
                "title": meta.title if meta else str(record["table"]),
                "rows": int(record["rows"]),
                "checks": int(record["checks"]),
                "author": str(meta.author if meta else None),
                "licence_id": str(meta.licence_id if meta else None),
                "accessed": pd.Timestamp(meta.accessed) if meta else pd.NaT,
            }
        )
    columns = ["table", "title", "rows", "checks", "author", "licence_id", "accessed"]
    return pd.DataFrame(rows, columns=columns)
