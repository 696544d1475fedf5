"""A CSL-JSON bibliography: the raw snapshots, every press source and the seed articles.

Keys: a raw table by its name (``events``); a press source by its table and row
(``events-E08``, ``machine_flows-M30``, ``published_figures-P03``); a seed article as
``seed-003``. Every fact comes from a table or a sidecar; a date is printed only
where the data give the page's own date, so pandoc prints "n.d." only for a page
whose date is unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .formatting import day_text
from .provenance import Sidecar

#: The press tables with one reference per row: table -> (id column, own-date column).
#: The date is the cited page's publication date (events' source_date, the
#: source_date of machine_flows and published_figures), not the date of the figure.
PRESS_TABLES: dict[str, tuple[str, str]] = {
    "events": ("event_id", "source_date"),
    "machine_flows": ("figure_id", "source_date"),
    "published_figures": ("figure_id", "source_date"),
}

#: A title the compiler wrote in parentheses is a description, not the page's title.
DESCRIBED = re.compile(r"^\((.+)\)$")

#: "Nasdaq.com (syndicated CoinDesk article)": the outlet, then what the page is.
OUTLET = re.compile(r"^(?P<outlet>.+?)(?: \((?P<detail>[^()]+)\))?$")


def _date_parts(value: Any) -> dict[str, list[list[int]]]:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return {"date-parts": [[day.year, day.month, day.day]]}


def licence_text(meta: Sidecar) -> str:
    """The licence as the source states it ("CC BY-NC 4.0"), from the sidecar."""
    if not meta.licence_short:
        raise ValueError(
            f"sidecar of {meta.table or meta.title!r} has no licence_short: write the "
            "licence as the source states it (or 'not stated ...')"
        )
    return meta.licence_short


def csl_entry(table: str, meta: Sidecar) -> dict[str, Any]:
    """One CSL-JSON dataset entry; the citation key is the raw table's name.

    Dated by its publication date, or else by the snapshot used (the access date).
    """
    entry: dict[str, Any] = {
        "id": table,
        "type": "dataset",
        "title": meta.title,
        "author": [{"literal": meta.creator}],
        "publisher": meta.producer,
        "URL": meta.url,
        "accessed": _date_parts(meta.accessed),
        "note": f"Licence: {licence_text(meta)}",
    }
    if meta.series:
        entry["container-title"] = meta.series
    if meta.published:
        entry["issued"] = _date_parts(meta.published)
    else:
        # A dataset without a publication date is cited by the version used: the
        # snapshot taken on the access date, so the citation carries that year.
        entry["issued"] = _date_parts(meta.accessed)
        entry["version"] = f"snapshot of {day_text(str(meta.accessed))}"
    return entry


def outlet(publisher: str) -> tuple[str, str | None]:
    """A publisher as recorded -> (the outlet's name, what the page is, if said)."""
    found = OUTLET.match(publisher.strip())
    assert found is not None  # the pattern matches any text
    return found["outlet"], found["detail"]


def _text(value: Any) -> str | None:
    return None if value is None or pd.isna(value) or not str(value).strip() else str(value)


def web_entry(
    key: str,
    *,
    title: str | None,
    publisher: str | None,
    url: str | None,
    accessed: Any,
    issued: Any = None,
    author: str | None = None,
    relays: str | None = None,
    written: Any = None,
    unknown: str | None = None,
) -> dict[str, Any]:
    """One web page: the outlet as container, the page's own date only when known.

    ``relays`` (what the page passes on) and a title the compiler described in
    parentheses go to ``genre``, which the citation style prints after the title.
    ``written`` is a day the text fixes itself when the page shows no date: it is
    printed as an inferred year ("[2021?]") with the day in words. ``unknown`` says
    what could not be identified.
    """
    entry: dict[str, Any] = {"id": key, "type": "webpage"}
    about = []
    described = DESCRIBED.match(title or "")
    if described:
        about.append(described[1])
    elif title:
        entry["title"] = title
    else:
        about.append("page title not shown")
    if publisher:
        name, detail = outlet(publisher)
        entry["container-title"] = name
        if detail and not relays:
            about.insert(0, detail)
    if author:
        entry["author"] = [{"literal": author}]
    if relays:
        about.insert(0, f"relays {relays}")
    if url:
        entry["URL"] = url
    if issued is not None:
        entry["issued"] = _date_parts(issued)
    elif written is not None:
        day = pd.Timestamp(written)
        # Only the year, marked inferred; the day is said in words below.
        entry["issued"] = {"date-parts": [[day.year]], "circa": True}
        about.append(f"the page shows no date; its text says it was written on {day_text(day)}")
    if unknown:
        about.append(unknown)
    if about:
        text = "; ".join(about)
        entry["genre"] = text[0].upper() + text[1:]
    entry["accessed"] = _date_parts(accessed)
    return entry


def press_entries(
    table: str,
    rows: pd.DataFrame,
    meta: Sidecar,
    written: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """One entry per row of a press table, keyed ``<table>-<row id>``.

    ``written`` maps a seed article's address to the day its text fixes itself, so a
    row citing that page is dated as the seed is.
    """
    id_column, date_column = PRESS_TABLES[table]
    entries = []
    for row in rows.to_dict("records"):
        entries.append(
            web_entry(
                f"{table}-{row[id_column]}",
                title=_text(row.get("source_title")),
                publisher=_text(row.get("source_publisher")),
                url=_text(row.get("source_url")),
                accessed=meta.accessed,
                issued=row[date_column] if _text(row.get(date_column)) else None,
                author=_text(row.get("source_author")),
                relays=_text(row.get("relays")),
                written=(written or {}).get(_text(row.get("source_url")) or ""),
            )
        )
    return entries


def seed_entries(seeds: pd.DataFrame, meta: Sidecar) -> list[dict[str, Any]]:
    """One entry per seed article, keyed ``seed-<seed id>``; an unidentified one says so."""
    entries = []
    for row in seeds.to_dict("records"):
        entry = web_entry(
            f"seed-{row['seed_id']}",
            title=_text(row["title"]),
            publisher=_text(row["outlet"]),
            url=_text(row["url"]),
            accessed=meta.accessed,
            issued=row["date_published"] if _text(row["date_published"]) else None,
            author=_text(row["author"]),
            relays=_text(row["relays"]),
            written=row["date_written"] if _text(row["date_written"]) else None,
            unknown=None if _text(row["outlet"]) else "outlet, author and address not identified",
        )
        entries.append(entry)
    return entries


def bibliography(
    sidecars: Mapping[str, Sidecar],
    press: Mapping[str, pd.DataFrame] | None = None,
    seeds: pd.DataFrame | None = None,
) -> list[dict[str, Any]]:
    """Entries for every raw table, press row and seed article, sorted by key.

    ``press`` maps a table of :data:`PRESS_TABLES` to its validated rows; its sidecar
    gives the date the pages were read. ``seeds`` is the validated seed_articles table.
    """
    entries = [csl_entry(table, sidecars[table]) for table in sidecars]
    written = {}
    if seeds is not None:
        entries += seed_entries(seeds, sidecars["seed_articles"])
        dated = seeds[seeds["url"].notna() & seeds["date_written"].notna()]
        written = dict(zip(dated["url"], dated["date_written"], strict=True))
    for table, rows in (press or {}).items():
        entries += press_entries(table, rows, sidecars[table], written)
    keys = [entry["id"] for entry in entries]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ValueError(f"bibliography keys used twice: {', '.join(repeated)}")
    return sorted(entries, key=lambda entry: entry["id"])
