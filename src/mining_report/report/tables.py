"""Small tables the report prints, written as CSV for the document's table blocks.

Everything here is for readers: titles instead of table names, licences as the
sources state them, "22 November 2026" for dates, "205,000" for numbers, outlets
instead of file names, and no row ids.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import pandera.pandas as pa

from mining_report.derive.conventions import key_of
from mining_report.derive.dictionary import describe
from mining_report.formatting import (
    DECIMAL,
    INTEGER,
    ISO_DAY,
    ISO_MONTH,
    reader_date,
    reader_number,
    reader_value,
    typographic,
)
from mining_report.raw.provenance import Sidecar
from mining_report.report.bibliography import licence_text, outlet
from mining_report.vocabularies import PROJECT_CLASS

#: The space between a number and its % sign: no line break may fall there.
NBSP = "\u00a0"

#: Words a table name is made of that readers know in capitals.
ACRONYMS = {"asic": "ASIC", "btc": "BTC", "ccaf": "CCAF"}

#: Qualifiers of a reported figure that read best before the number.
BEFORE_NUMBER = {
    "at least": "at least",
    "more than": "more than",
    "as many as": "as many as",
    "up to": "up to",
    "approx.": "about",
}


def _split_unit(unit: str) -> tuple[str, str | None]:
    """ "machines ('at least')" -> ("machines", "'at least'"): the unit and its qualifier."""
    found = re.fullmatch(r"(.+?) \((.+)\)", unit)
    return (found[1], found[2]) if found else (unit, None)


def reader_claim(value: str, unit: str) -> str:
    """A claim as a reader reads it: "at least 205,000 machines", "about 75 %",
    "announced 9 June 2021", "'temporary rectification', the document's wording".

    The unit's qualifier follows after a comma, so that the source can follow in
    parentheses without nesting them.
    """
    shown = reader_value(value)
    base, qualifier = _split_unit(unit)
    if ISO_DAY.match(value) or ISO_MONTH.match(value):
        # "date announced", "date (notice issued)", "month (measures launched in)"
        label = qualifier or base.partition(" ")[2]
        return f"{label} {shown}" if label else shown
    if unit == PROJECT_CLASS:  # the project's words, not the source's: not quoted
        return f"{shown}, {unit}"
    if shown == value and not (INTEGER.match(value) or DECIMAL.match(value)):
        return f"'{shown}', {unit}"  # a source's words: the unit says what they are
    text = f"{shown}{NBSP}%" if base == "percent" else f"{shown} {base}"
    before = BEFORE_NUMBER.get((qualifier or "").strip("'"))
    if before:
        return f"{before} {text}"
    return f"{text}, {qualifier}" if qualifier else text


def reader_source(source: str) -> str:
    """A resolved claim's source as readers see it: the outlet (and author), no address.

    Press sources arrive as "<publisher>[, by <author>], <url>" ("MN Mansha,
    newsbsc.com" when there is an author); cleaned tables as
    "<title> (<author>) ; ..." for the snapshots they come from, shown by author.
    """
    if " ; " in source or (source.endswith(")") and "http" not in source):
        authors = [re.sub(r"^.* \(([^()]+)\)$", r"\1", part) for part in source.split(" ; ")]
        return "; ".join(dict.fromkeys(authors))
    text = re.sub(r",? ?https?://\S+$", "", source)
    publisher, _, author = text.partition(", by ")
    name, _ = outlet(publisher)
    return f"{author}, {name}" if author else name


def table_title(name: str) -> str:
    """A cleaned table's name as words: "asic_price_index_quotes" -> "ASIC price index quotes"."""
    words = [ACRONYMS.get(word, word) for word in name.split("_")]
    first = words[0] if words[0].isupper() else words[0].capitalize()
    return " ".join([first, *words[1:]])


def sources_table(
    validations: dict[str, dict[str, Any]], sidecars: Mapping[str, Sidecar]
) -> pd.DataFrame:
    """One row per raw snapshot: who made it, what it is, licence, rows and checks passed."""
    rows = []
    for table in sorted(validations, key=lambda t: (sidecars[t].title.lower(), t)):
        meta, valid = sidecars[table], validations[table]
        rows.append(
            {
                "Source": meta.creator,
                "What it is": meta.title,
                "Licence": licence_text(meta),
                "Accessed": reader_date(meta.accessed),
                "Rows": reader_number(valid["rows"]),
                "Checks passed": reader_number(valid["checks"]),
            }
        )
    return set_quotes(pd.DataFrame(rows))


def cleaned_tables_table(
    models: dict[str, type[pa.DataFrameModel]], row_counts: dict[str, int]
) -> pd.DataFrame:
    """One row per cleaned table: its name in words, what it holds, its key and its size."""
    rows = []
    for table in sorted(models):
        title, _ = describe(models[table])
        rows.append(
            {
                "Table": table_title(table),
                "What it holds": title,
                "Key": ", ".join(name.replace("_", " ") for name in key_of(models[table])),
                "Rows": reader_number(row_counts[table]),
                # Not printed: the report's filter links the row to this table's CSV.
                "File": table,
            }
        )
    return set_quotes(pd.DataFrame(rows), keep=("File",))


def set_quotes(table: pd.DataFrame, keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """The cells reach the page as plain text: set their quotes as the prose's are set.
    Columns in ``keep`` (file names for links) stay as they are."""
    return table.apply(
        lambda column: (
            column
            if column.name in keep
            else column.map(lambda cell: typographic(cell) if isinstance(cell, str) else cell)
        )
    )


#: How the printed ledger says which claim the report uses.
USED_WORDS = {"a": "first", "b": "second", "neither": "neither"}


def conflicts_table(source_conflicts: pd.DataFrame) -> pd.DataFrame:
    """The conflict ledger as the report prints it: claims in reader form, no ids.

    The references and addresses stay in data/processed/source_conflicts.csv.
    """

    def claim(row: pd.Series, side: str) -> str:
        value, unit = row[f"claim_{side}_value"], row[f"claim_{side}_unit"]
        return f"{reader_claim(value, unit)} ({reader_source(row[f'claim_{side}_source'])})"

    printed = pd.DataFrame(
        {
            "Topic": source_conflicts["topic"],
            "First claim": source_conflicts.apply(claim, axis=1, side="a"),
            "Second claim": source_conflicts.apply(claim, axis=1, side="b"),
            "Used": source_conflicts["used"].map(USED_WORDS),
            "Why": source_conflicts["why"],
        }
    )
    return set_quotes(printed)
