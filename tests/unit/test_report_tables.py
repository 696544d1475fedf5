"""The tables the report prints: reader words, no table names, codes or row ids."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from mining_report.derive.catalog import CLEANED_MODELS
from mining_report.formatting import reader_date
from mining_report.raw.provenance import load_sidecars
from mining_report.report.tables import (
    cleaned_tables_table,
    conflicts_table,
    reader_claim,
    reader_source,
    sources_table,
)
from mining_report.vocabularies import PROJECT_CLASS

from conftest import ROOT

NBSP = "\u00a0"
#: What no printed cell may hold: a snake_case name or a row id.
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\b[EMKP][0-9]{2}\b")


@pytest.mark.parametrize(
    ("value", "unit", "printed"),
    [
        ("205000 of 430000", "machines", "205,000 of 430,000 machines"),
        ("205000", "machines ('at least')", "at least 205,000 machines"),
        ("87000", "machines ('87k')", "87,000 machines, '87k'"),
        ("1800000", "machines or inquiries (meaning disputed)",
         "1,800,000 machines or inquiries, meaning disputed"),
        ("35.76", "percent (share of global hashrate)", f"35.76{NBSP}%, share of global hashrate"),
        ("75", "percent (approx.)", f"about 75{NBSP}%"),
        ("80", "percent ('up to')", f"up to 80{NBSP}%"),
        ("2021-06-09", "date announced", "announced 9 June 2021"),
        ("2021-09-03", "date (the document is dated)", "the document is dated 3 September 2021"),
        ("2021-04", "month (measures launched in)", "measures launched in April 2021"),
        ("temporary rectification", "the document's wording, as quoted",
         "'temporary rectification', the document's wording, as quoted"),
        # The project's class of a measure is its own word, not a quotation.
        ("shutdown order", PROJECT_CLASS, f"shutdown order, {PROJECT_CLASS}"),
    ],
)  # fmt: skip
def test_a_claim_reads_as_words(value: str, unit: str, printed: str) -> None:
    assert reader_claim(value, unit) == printed


@pytest.mark.parametrize(
    ("source", "printed"),
    [
        ("newsbsc.com, by MN Mansha, https://newsbsc.com/a/", "MN Mansha, newsbsc.com"),
        ("ultcoin365.com (republished crypto-news text), https://ultcoin365.com/a/",
         "ultcoin365.com"),
        ("unidentified outlet", "unidentified outlet"),
        ("Mining Map: provinces (Cambridge Centre for Alternative Finance) ; Mining Map: "
         "countries (Cambridge Centre for Alternative Finance)",
         "Cambridge Centre for Alternative Finance"),
    ],
)  # fmt: skip
def test_a_source_reads_as_its_outlet(source: str, printed: str) -> None:
    assert reader_source(source) == printed


def test_dates_are_written_out() -> None:
    assert reader_date("2026-11-29") == "29 November 2026"
    assert reader_date("2021-04") == "April 2021"


def test_the_sources_table_shows_titles_and_licences_as_stated() -> None:
    sidecars = load_sidecars(sorted((ROOT / "data/raw").rglob("*.csv")))
    validations = {table: {"rows": 12345, "checks": 7} for table in sidecars}
    table = sources_table(validations, sidecars)
    assert len(table) == len(sidecars)
    licences = dict(zip(table["What it is"], table["Licence"], strict=True))
    assert licences[sidecars["coinmetrics_btc_daily"].title] == "CC BY-NC 4.0"
    assert licences[sidecars["cbeci_countries"].title].startswith("not stated")
    # Each snapshot's access day, written out.
    assert set(table["Accessed"]) == {"22 November 2026", "6 December 2026"}
    assert set(table["Rows"]) == {"12,345"}
    for cell in table.astype(str).to_numpy().ravel():
        assert not CODE.search(cell), cell


def test_the_cleaned_tables_table_names_tables_in_words() -> None:
    counts = dict.fromkeys(CLEANED_MODELS, 1234)
    table = cleaned_tables_table(CLEANED_MODELS, counts).set_index("Table")
    # The last column names each table's file for the report's links; it is not printed.
    assert set(table["File"]) == set(CLEANED_MODELS)
    table = table.drop(columns="File")
    assert table.loc["Hashrate by country", "Key"] == "month, country"
    assert "ASIC price index quotes" in table.index
    assert set(table["Rows"]) == {"1,234"}
    for cell in [*table.index, *table.astype(str).to_numpy().ravel()]:
        assert not CODE.search(cell), cell


def test_the_printed_ledger_has_no_ids_file_names_or_bare_numbers(tmp_path) -> None:
    ledger = pd.DataFrame(
        {
            "conflict_id": ["K01"],
            "topic": ["Whose 205,000 machines"],
            "claim_a_ref": ["machine_flows:M06"],
            "claim_a_value": ["205000 of 430000"],
            "claim_a_unit": ["machines"],
            "claim_a_source": ["newsbsc.com, by MN Mansha, https://newsbsc.com/a/"],
            "claim_b_ref": ["machine_flows:M04"],
            "claim_b_value": ["205000"],
            "claim_b_unit": ["machines ('at least')"],
            "claim_b_source": ["ultcoin365.com (republished text), https://u.example/a"],
            "used": ["b"],
            "why": ["The relays give 205,000 for Russia."],
        }
    )
    row = conflicts_table(ledger).iloc[0]
    assert row["First claim"] == "205,000 of 430,000 machines (MN Mansha, newsbsc.com)"
    assert row["Second claim"] == "at least 205,000 machines (ultcoin365.com)"
    assert row["Used"] == "second"
    assert not any(CODE.search(str(cell)) for cell in row)
