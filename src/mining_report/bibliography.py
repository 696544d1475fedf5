"""A CSL-JSON bibliography built from the raw snapshots' provenance sidecars."""

from __future__ import annotations

import datetime as dt
from typing import Any


def _date_parts(value: Any) -> dict[str, list[list[int]]]:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_entry(table: str, meta: dict[str, Any]) -> dict[str, Any]:
    """One CSL-JSON dataset entry; the citation key is the raw table's name."""
    entry: dict[str, Any] = {
        "id": table,
        "type": "dataset",
        "title": meta["title"],
        "author": [{"literal": meta.get("author") or meta["producer"]}],
        "publisher": meta["producer"],
        "URL": meta["url"],
        "accessed": _date_parts(meta["accessed"]),
        "note": f"Licence: {meta.get('licence_id') or meta['licence']}",
    }
    if meta.get("series"):
        entry["container-title"] = meta["series"]
    if meta.get("published"):
        entry["issued"] = _date_parts(meta["published"])
    return entry


def bibliography(sidecars: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries for every raw table, sorted by key so the output is stable."""
    return [csl_entry(table, sidecars[table]) for table in sorted(sidecars)]
