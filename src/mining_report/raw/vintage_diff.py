"""The difference between two vintages of a raw table, which a reviewer reads before
accepting a refresh: rows added, removed and changed (a value compared as a number
where both are numbers), the largest changes, and every revision of a value already
published; as lines to read and as a table.
"""

from __future__ import annotations

from typing import Any


def _as_number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def diff_tables(old: Any, new: Any, key: list[str], limit: int = 5) -> dict[str, Any]:
    """Rows added, removed and changed between two vintages of a table (as text frames).

    A value counts as changed when it differs as a number (``6.1`` and ``6.10`` are the
    same) or, for text, as text. A change to a row whose key the old vintage already
    had is a revision of a published value, and is listed as such.
    """
    old_rows = {tuple(r[k] for k in key): r for r in old.to_dict("records")}
    new_rows = {tuple(r[k] for k in key): r for r in new.to_dict("records")}
    added = sorted(set(new_rows) - set(old_rows))
    removed = sorted(set(old_rows) - set(new_rows))
    changes = []
    for row_key in sorted(set(old_rows) & set(new_rows)):
        before, after = old_rows[row_key], new_rows[row_key]
        for column in [c for c in new.columns if c not in key and c in old.columns]:
            a, b = before[column], after[column]
            x, y = _as_number(a), _as_number(b)
            same = (x == y) if x is not None and y is not None else (str(a) == str(b))
            if not same:
                relative = abs(y - x) / abs(x) if x not in (None, 0) and y is not None else None
                changes.append(
                    {"key": row_key, "column": column, "old": a, "new": b, "relative": relative}
                )
    largest = sorted(
        (c for c in changes if c["relative"] is not None), key=lambda c: -c["relative"]
    )[:limit]
    return {"added": added, "removed": removed, "changed": changes, "largest": largest}


def _key_text(row_key: tuple) -> str:
    return " / ".join(str(k) for k in row_key)


def describe_diff(table: str, diff: dict[str, Any], old_rows: int, new_rows: int) -> str:
    """The difference as lines a reviewer reads before accepting."""
    added, removed, changed = diff["added"], diff["removed"], diff["changed"]
    lines = [
        f"{table}: {old_rows} rows now, {new_rows} staged: "
        f"{len(added)} added, {len(removed)} removed, "
        f"{len({c['key'] for c in changed})} row(s) with {len(changed)} changed value(s)"
    ]
    if added:
        lines.append(f"  added: {_key_text(added[0])} … {_key_text(added[-1])}")
    if removed:
        lines.append(f"  REMOVED: {', '.join(_key_text(k) for k in removed[:10])}")
    if changed:
        lines.append("  revisions of published values (largest first):")
        for change in diff["largest"] or changed[:5]:
            rel = f" ({change['relative']:+.2%})" if change["relative"] is not None else ""
            lines.append(
                f"    {_key_text(change['key'])}, {change['column']}: "
                f"{change['old']} -> {change['new']}{rel}"
            )
    return "\n".join(lines)


def diff_csv(diff: dict[str, Any], key: list[str]) -> str:
    """Every difference as a table: kind, key, column, old, new."""
    import pandas as pd

    rows = [{"kind": "added", "key": _key_text(k)} for k in diff["added"]]
    rows += [{"kind": "removed", "key": _key_text(k)} for k in diff["removed"]]
    rows += [
        {
            "kind": "revised",
            "key": _key_text(c["key"]),
            "column": c["column"],
            "old": c["old"],
            "new": c["new"],
        }
        for c in diff["changed"]
    ]
    frame = pd.DataFrame(rows, columns=["kind", "key", "column", "old", "new"])
    return frame.to_csv(index=False, lineterminator="\n")
