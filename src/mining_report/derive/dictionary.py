"""The data dictionary and the Frictionless data package, generated from the output schemas."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from mining_report import registry
from mining_report.derive.conventions import field_unit, key_of
from mining_report.raw.provenance import Sidecar, sha256_of

#: pandas dtype → Frictionless Table Schema type.
FRICTIONLESS_TYPES = {"datetime64": "date", "float": "number", "int": "integer", "bool": "boolean"}


def describe(model: type[pa.DataFrameModel]) -> tuple[str, str]:
    """The model's docstring as (title line, the rest), whitespace folded."""
    doc = inspect.cleandoc(model.__doc__ or "")
    title, _, rest = doc.partition("\n")
    return title.strip(), " ".join(rest.split())


def frictionless_type(dtype: Any) -> str:
    text = str(dtype)
    return next((kind for prefix, kind in FRICTIONLESS_TYPES.items() if prefix in text), "string")


def _check_text(check: Any) -> str:
    return check.error or check.name


def data_dictionary(models: dict[str, type[pa.DataFrameModel]]) -> pd.DataFrame:
    """One row per column of every cleaned table."""
    rows = []
    for table, model in sorted(models.items()):
        schema = model.to_schema()
        key = key_of(model)
        table_checks = [_check_text(check) for check in schema.checks]
        for name, column in schema.columns.items():
            checks = [_check_text(check) for check in column.checks]
            if column.unique:
                checks.append("unique")
            rows.append(
                {
                    "table": table,
                    "column": name,
                    "type": frictionless_type(column.dtype),
                    "unit": field_unit(column) or "",
                    "nullable": bool(column.nullable),
                    "key": name in key,
                    "description": column.description or "",
                    "checks": " ; ".join(checks),
                    "table_checks": " ; ".join(table_checks),
                }
            )
    return pd.DataFrame(rows)


def raw_sources(table: str, raw_tables: set[str]) -> list[str]:
    """The raw snapshots in ``raw_tables`` a cleaned table is derived from, directly
    or through other cleaned tables (none for a table the registry does not know)."""
    if table not in registry.TABLES:
        return []
    return [raw for raw in registry.raw_sources(table) if raw in raw_tables]


def resource_licences(raws: list[str], sidecars: Mapping[str, Sidecar]) -> list[dict[str, str]]:
    """The licences of the snapshots a table comes from, as their sidecars state them."""
    licences: dict[str, str] = {}
    for raw in raws:
        meta = sidecars[raw]
        name = (meta.licence_id or "").strip()
        if name and name != "unknown":
            licences.setdefault(name, meta.licence_short or name)
    return [{"name": name, "title": title} for name, title in sorted(licences.items())]


def datapackage(
    models: dict[str, type[pa.DataFrameModel]],
    csv_dir: Path,
    sidecars: Mapping[str, Sidecar],
) -> dict[str, Any]:
    """A Frictionless Data Package (v1) describing every cleaned table's CSV."""
    resources = []
    for table, model in sorted(models.items()):
        schema = model.to_schema()
        path = csv_dir / f"{table}.csv"
        title, description = describe(model)
        fields = []
        for name, column in schema.columns.items():
            field: dict[str, Any] = {
                "name": name,
                "type": frictionless_type(column.dtype),
                "description": column.description or "",
            }
            if field_unit(column):
                field["unit"] = field_unit(column)
            if not column.nullable:
                field["constraints"] = {"required": True}
            fields.append(field)
        raws = raw_sources(table, set(sidecars))
        resources.append(
            {
                "name": table,
                "profile": "tabular-data-resource",
                "path": path.name,
                "title": title,
                "description": description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": path.stat().st_size,
                "hash": f"sha256:{sha256_of(path)}",
                "schema": {"fields": fields, "primaryKey": key_of(model)},
                "sources": [
                    {"title": sidecars[raw].title, "path": sidecars[raw].url} for raw in raws
                ],
            }
        )
        # Only the licences the sources state: a table from unlicensed listings has none.
        if licences := resource_licences(raws, sidecars):
            resources[-1]["licenses"] = licences
    sources = [
        {"title": meta.title, "path": meta.url, "licence": meta.licence_id or ""}
        for _, meta in sorted(sidecars.items())
    ]
    licences = sorted({meta.licence_id or "" for meta in sidecars.values()} - {"", "unknown"})
    return {
        "profile": "tabular-data-package",
        "name": "china-2021-mining-crackdown",
        "title": "China's 2021 crackdown on Bitcoin mining: cleaned tables",
        "description": (
            "Cleaned tables derived by the mining-migration report pipeline from raw "
            "snapshots, each traced to its source; see sources. Each table carries the "
            "most restrictive licence of the sources it is derived from."
        ),
        "licenses": [{"name": name} for name in licences],
        "sources": sources,
        "resources": resources,
    }
