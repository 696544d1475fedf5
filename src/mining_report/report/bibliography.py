"""A CSL-JSON bibliography: one entry per source the report draws on.

A raw table is cited by its name (``[@cbeci_countries]``); a table the project compiled
links to its published copy, not to any one of the pages its rows name. Every page the
press tables cite (every row of events, machine_flows, published_figures and
source_statements, and the press articles the project started from) is one entry however
many rows cite it, keyed by its outlet, year and title
(``coindesk-2021-sichuan-becomes-latest``; ``unidentified-2021-...`` for a page whose
outlet is not known), so that several figures from one article cite one reference.
Every fact comes from a table or a sidecar: a page is dated by its own date where the
data give it (the day, or only the year), and pandoc prints "n.d." only for a page
whose date is unknown.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mining_report.formatting import day_text
from mining_report.raw.provenance import Sidecar

#: The press tables whose rows cite pages: table -> the row's id column.
PRESS_TABLES: dict[str, str] = {
    "events": "event_id",
    "machine_flows": "figure_id",
    "published_figures": "figure_id",
    "source_statements": "statement_id",
}

#: The press articles the project started from, each cited by its page's key like any
#: other page (``0xkryptos-com-2021-chinas-largest-concentration``).
ARTICLES = "press_articles"

#: A title the compiler wrote in parentheses is a description, not the page's title.
DESCRIBED = re.compile(r"^\((.+)\)$")

#: "Nasdaq.com (syndicated CoinDesk article)": the outlet, then what the page is.
OUTLET = re.compile(r"^(?P<outlet>.+?)(?: \((?P<detail>[^()]+)\))?$")

#: How the press tables name an outlet that could not be identified (press article 000's).
UNIDENTIFIED = "unidentified outlet"

#: Words a citation key leaves out of a title.
SMALL_WORDS = frozenset(
    ("a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "is", "of", "on", "or",
     "the", "to", "with")
)  # fmt: skip


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


def person(name: str) -> dict[str, str]:
    """A person's name as a reference list sorts it: "Arya M Nair" -> Nair, Arya M."""
    *given, family = name.split()
    return {"family": family, "given": " ".join(given)} if given else {"literal": name}


def csl_entry(table: str, meta: Sidecar) -> dict[str, Any]:
    """One CSL-JSON dataset entry; the citation key is the raw table's name.

    Dated by its publication date; an undated source is "n.d." and names the snapshot
    used (the access date). A table the project compiled (``compiled: true``) is
    published with the report, so it is dated by that snapshot; its rows name their
    own sources, and its reference links to none of them (and prints no file name; the
    report's table of sources and each number's lineage link the file).
    """
    entry: dict[str, Any] = {
        "id": table,
        "type": "dataset",
        "title": meta.title,
        "author": [{"literal": meta.creator}],
        "publisher": meta.producer[:1].upper() + meta.producer[1:],
        "accessed": _date_parts(meta.accessed),
        "note": f"Licence: {licence_text(meta)}",
    }
    if not meta.compiled:
        entry["URL"] = meta.url
    about = ["compiled from the sources each row names; published with this report"] if (
        meta.compiled
    ) else []  # fmt: skip
    if meta.series:
        entry["container-title"] = meta.series
    if meta.published:
        entry["issued"] = _date_parts(meta.published)
    else:
        # Undated: the reference says which version was used, the snapshot of the
        # access date, and carries no year of publication it does not know ("n.d."),
        # except a table compiled here, published with this report.
        if meta.compiled:
            entry["issued"] = _date_parts(meta.accessed)
        about.append(f"snapshot of {day_text(str(meta.accessed))}")
    if about:
        text = "; ".join(about)
        entry["genre"] = text[0].upper() + text[1:]
    return entry


def outlet(publisher: str) -> tuple[str, str | None]:
    """A publisher as recorded -> (the outlet's name, what the page is, if said)."""
    found = OUTLET.match(publisher.strip())
    assert found is not None  # the pattern matches any text
    return found["outlet"], found["detail"]


def _text(value: Any) -> str | None:
    return None if value is None or pd.isna(value) or not str(value).strip() else str(value)


def _slug(text: str, words: int | None = None) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = plain.replace("'", "")  # Tom's Hardware -> toms-hardware
    parts = [part for part in re.split(r"[^a-z0-9]+", plain) if part]
    if words is not None:
        kept = [part for part in parts if part not in SMALL_WORDS] or parts
        parts = kept[:words]
    return "-".join(parts)


@dataclass
class Page:
    """One cited page, as the rows citing it record it."""

    url: str | None
    title: str | None
    publisher: str | None
    author: str | None
    day: dt.date | None
    year: int | None
    written: dt.date | None
    relays: str | None
    accessed: dt.date | None = None
    rows: list[str] = field(default_factory=list)

    @property
    def outlet(self) -> str | None:
        """The outlet's name; None where it was not identified."""
        name = outlet(self.publisher)[0] if self.publisher else None
        return None if name == UNIDENTIFIED else name

    def key(self) -> str:
        """The citation key: outlet, year (or "nd") and the title's first words."""
        title = DESCRIBED.sub(r"\1", self.title or "")
        title = re.sub(
            r"^title not shown;?\s*((address|url slug|opening words):\s*)?", "", title, flags=re.I
        )
        when = self.day.year if self.day else self.year or (self.written and self.written.year)
        name = self.outlet if self.outlet and self.outlet != UNIDENTIFIED else "unidentified"
        parts = [_slug(name), str(when or "nd"), _slug(title, 3)]
        return "-".join(part for part in parts if part)

    def entry(self) -> dict[str, Any]:
        """The page as a CSL-JSON entry: an unsigned page is cited by its outlet."""
        entry: dict[str, Any] = {"id": self.key(), "type": "webpage"}
        about = []
        described = DESCRIBED.match(self.title or "")
        if described:
            about.append(described[1])
        elif self.title:
            entry["title"] = self.title
        else:
            about.append("page title not shown")
        if self.outlet:
            name, detail = outlet(self.publisher)
            entry["container-title"] = name
            if detail and not self.relays and detail.lower() not in " ".join(about).lower():
                about.insert(0, detail)
        entry["author"] = [person(self.author)] if self.author else (
            [{"literal": self.outlet}] if self.outlet else []
        )  # fmt: skip
        if not entry["author"]:
            del entry["author"]
            about.append("outlet, author and address not identified")
        if self.relays:
            about.insert(0, f"relays {self.relays}")
        if self.url:
            entry["URL"] = self.url
        if self.day:
            entry["issued"] = _date_parts(self.day)
        elif self.written:
            # The page shows no date; its text dates itself.
            entry["issued"] = _date_parts(self.written)
            about.append("dated by its text")
        elif self.year:
            entry["issued"] = {"date-parts": [[self.year]]}
        if about:
            text = "; ".join(about)
            entry["genre"] = text[0].upper() + text[1:]
        if self.accessed:
            entry["accessed"] = _date_parts(self.accessed)
        return entry


def _day(value: Any) -> dt.date | None:
    return None if _text(value) is None else pd.Timestamp(value).date()


def _year(value: Any) -> int | None:
    return None if _text(value) is None else int(value)


def pages(
    press: Mapping[str, pd.DataFrame],
    articles: pd.DataFrame | None = None,
    accessed: Mapping[str, dt.date] | None = None,
) -> list[Page]:
    """Every page the press tables and the press articles cite, once each, with the rows
    that cite it (``events-E08``, ``press_articles-003``), in the order of their keys.

    A page is its address; a press article without one is matched by its title. A day
    or year one row gives dates every row of that page. ``accessed`` maps a table to
    the day its pages were read; a page is dated as read by the earliest.
    """
    found: dict[str, Page] = {}
    read = accessed or {}

    def add(table: str, row_key: str, values: dict[str, Any]) -> None:
        ident = _text(values["url"]) or f"title:{_text(values['title'])}"
        page = found.setdefault(ident, Page(*(None,) * 8))
        page.rows.append(row_key)
        page.url = page.url or _text(values["url"])
        page.title = page.title or _text(values["title"])
        page.publisher = page.publisher or _text(values["publisher"])
        page.author = page.author or _text(values["author"])
        page.relays = page.relays or _text(values["relays"])
        page.day = page.day or _day(values["day"])
        page.year = page.year or _year(values["year"])
        page.written = page.written or _day(values["written"])
        if read.get(table) and (page.accessed is None or read[table] < page.accessed):
            page.accessed = read[table]

    if articles is not None:
        for row in articles.sort_values("article_id").to_dict("records"):
            add(ARTICLES, f"{ARTICLES}-{row['article_id']}", dict(
                url=row["url"], title=row["title"], publisher=row["outlet"],
                author=row["author"], day=row["date_published"], year=None,
                written=row["date_written"], relays=row["relays"],
            ))  # fmt: skip
    for table, id_column in PRESS_TABLES.items():
        for row in press.get(table, pd.DataFrame()).to_dict("records"):
            add(table, f"{table}-{row[id_column]}", dict(
                url=row.get("source_url"), title=row.get("source_title"),
                publisher=row.get("source_publisher"), author=row.get("source_author"),
                day=row.get("source_date"), year=row.get("source_year"), written=None,
                relays=row.get("relays"),
            ))  # fmt: skip
    listed = sorted(found.values(), key=Page.key)
    keys = [page.key() for page in listed]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ValueError(f"two pages share the citation key(s): {', '.join(repeated)}")
    for page in listed:
        page.rows.sort()
    return listed


def citation_keys(listed: Iterable[Page]) -> dict[str, str]:
    """Row (``machine_flows-M30``, ``press_articles-003``) -> the citation key of its page."""
    return {row: page.key() for page in listed for row in page.rows}


def bibliography(
    sidecars: Mapping[str, Sidecar],
    press: Mapping[str, pd.DataFrame] | None = None,
    articles: pd.DataFrame | None = None,
) -> list[dict[str, Any]]:
    """Entries for every raw table and every page its rows cite, sorted by key.

    ``press`` maps a table of :data:`PRESS_TABLES` to its validated rows; its sidecar
    gives the date the pages were read.
    """
    entries = [csl_entry(table, meta) for table, meta in sidecars.items()]
    read = {table: meta.accessed for table, meta in sidecars.items()}
    entries += [page.entry() for page in pages(press or {}, articles, read)]
    keys = [entry["id"] for entry in entries]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ValueError(f"bibliography keys used twice: {', '.join(repeated)}")
    return sorted(entries, key=lambda entry: entry["id"])


def ledger_rows(ledger: pd.DataFrame) -> list[str]:
    """The press rows the conflict ledger's claims name (``machine_flows:M06`` ->
    ``machine_flows-M06``); a claim on a cleaned table names no page."""
    rows = []
    for claim in (*ledger["claim_a"], *ledger["claim_b"]):
        table, _, rest = str(claim).partition(":")
        if table in PRESS_TABLES:
            rows.append(f"{table}-{rest.split(':')[0]}")
    return rows


def uncited(sidecars: Mapping[str, Sidecar], ledger: pd.DataFrame, keys: Mapping[str, str]) -> str:
    """A metadata file listing what the references hold without a citation in the text:
    every raw table (the report's table of sources lists them all) and every page the
    conflict ledger's claims come from (its table names their outlets)."""
    cited = sorted(sidecars) + sorted({keys[row] for row in ledger_rows(ledger)})
    return "nocite: |\n  " + ", ".join(f"@{key}" for key in cited) + "\n"
