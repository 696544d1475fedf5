"""The bibliography of the committed tables: one entry per source, cited by outlet,
title, author and date."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest
import yaml

from mining_report.raw.models import RAW_MODELS
from mining_report.raw.provenance import load_sidecars
from mining_report.raw.validation import validate_raw
from mining_report.report.bibliography import (
    PRESS_TABLES,
    bibliography,
    citation_keys,
    ledger_rows,
    licence_text,
    pages,
    uncited,
)

from conftest import ROOT, sidecar

PRESS = (*PRESS_TABLES, "press_articles", "conflicting_figures")
RAW_PATHS: dict[str, str] = yaml.safe_load((ROOT / "config/config.yaml").read_text())["raw_tables"]


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("raw")
    return {
        table: validate_raw(
            ROOT / f"data/raw/press/{table}.csv", RAW_MODELS[table], folder / f"{table}.csv"
        )
        for table in PRESS
    }


@pytest.fixture(scope="module")
def sidecars() -> dict:
    return load_sidecars(sorted((ROOT / "data/raw").rglob("*.csv")))


def press(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {table: tables[table] for table in PRESS_TABLES}


@pytest.fixture(scope="module")
def keys(tables) -> dict[str, str]:
    """Row (``events-E08``, ``press_articles-003``) -> its page's citation key."""
    return citation_keys(pages(press(tables), tables["press_articles"]))


@pytest.fixture(scope="module")
def entries(tables, sidecars) -> dict[str, dict]:
    built = bibliography(sidecars, press(tables), tables["press_articles"])
    assert [entry["id"] for entry in built] == sorted(entry["id"] for entry in built)
    return {entry["id"]: entry for entry in built}


def rows_of(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every row that cites a page: its key, address and own dates."""
    frames = []
    for table, id_column in PRESS_TABLES.items():
        rows = tables[table]
        frames.append(pd.DataFrame({
            "row": table + "-" + rows[id_column], "url": rows["source_url"],
            "day": rows["source_date"],
            "year": rows.get("source_year", pd.NA),
        }))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def test_one_entry_per_raw_table_and_per_page(entries, tables, sidecars, keys) -> None:
    rows = rows_of(tables)
    pages_cited = set(keys.values())
    assert set(entries) == set(sidecars) | pages_cited
    # A page is its address: as many entries as addresses, however many rows cite one
    # (and the one press article without an address, matched by its title).
    addresses = set(rows["url"].dropna()) | set(tables["press_articles"]["url"].dropna())
    assert len(pages_cited) == len(addresses) + 1
    for url, group in rows.dropna(subset=["url"]).groupby("url"):
        assert len({keys[row] for row in group["row"]}) == 1, url


def test_several_figures_from_one_article_cite_one_entry(keys) -> None:
    # The ultcoin365 relay of the FT survey holds seven of the machine counts.
    relay = {keys[f"machine_flows-M{n:02d}"] for n in (3, 4, 5, 7, 9, 10, 11)}
    assert len(relay) == 1
    # A press article and the rows taken from it are one source.
    assert keys["press_articles-003"] == keys["machine_flows-M68"] == keys["published_figures-P04"]
    assert keys["press_articles-004"] == keys["machine_flows-M06"]


def test_a_page_is_cited_by_outlet_title_and_date(entries, keys) -> None:
    e08 = entries[keys["events-E08"]]
    assert e08["id"] == "coindesk-2021-some-xinjiang-bitcoin"
    assert e08["container-title"] == "CoinDesk"
    assert e08["author"] == [{"literal": "CoinDesk"}]  # unsigned: the outlet stands for it
    assert e08["title"] == "Some Xinjiang Bitcoin Miners Instructed to Shut Down: Report"
    assert e08["issued"] == {"date-parts": [[2021, 6, 9]]}
    assert e08["accessed"] == {"date-parts": [[2026, 11, 22]]}
    # The publisher as recorded is split into the outlet and what the page is.
    e01 = entries[keys["events-E01"]]
    assert (e01["container-title"], e01["genre"]) == ("Nasdaq.com", "Syndicated CoinDesk article")


def test_a_person_is_listed_family_name_first(entries, keys) -> None:
    assert entries[keys["press_articles-004"]]["author"] == [{"family": "Mansha", "given": "MN"}]
    assert entries[keys["press_articles-001"]]["author"] == [{"family": "Nair", "given": "Arya M"}]


def test_an_ft_figure_is_cited_as_its_relay(entries, keys) -> None:
    m04 = entries[keys["machine_flows-M04"]]
    assert m04["container-title"] == "ultcoin365.com"
    # The FT's date is inferred, and said so; it is not the relay's own date.
    assert m04["genre"] == (
        "Relays a Financial Times survey published on or about 21 November 2021"
    )
    assert "issued" not in m04
    # A relay whose own address dates it keeps that date.
    assert entries[keys["machine_flows-M28"]]["issued"] == {"date-parts": [[2021, 11, 22]]}


def test_a_page_is_dated_exactly_as_the_data_date_it(entries, tables, keys) -> None:
    """A page has the day a row gives, else the year a row gives, else the day its
    text gives itself; else none, and pandoc prints "n.d.": no date is invented."""
    rows = rows_of(tables)
    articles = tables["press_articles"]
    written = dict(zip(articles["url"], articles["date_written"], strict=True))
    for url, group in rows.groupby(rows["url"].fillna("")):
        entry = entries[keys[group["row"].iloc[0]]]
        days, years = group["day"].dropna(), group["year"].dropna()
        if len(days):
            day = days.iloc[0]
            assert entry["issued"] == {"date-parts": [[day.year, day.month, day.day]]}, url
        elif len(years):
            assert entry["issued"] == {"date-parts": [[int(years.iloc[0])]]}, url
        elif url in written and pd.notna(written[url]):
            day = written[url]
            assert entry["issued"] == {"date-parts": [[day.year, day.month, day.day]]}, url
            assert "dated by its text" in entry["genre"]
        else:
            assert "issued" not in entry, url
    # The pages the data date by their year alone: Luxor's Q3 report, the SCMP's
    # article of early 2022, the map's launch coverage of 2020, press article 000's text of 2021.
    by_year = {"machine_flows-M36": 2021, "machine_flows-M62": 2022,
               "published_figures-P01": 2020, "published_figures-P05": 2021}  # fmt: skip
    for row, year in by_year.items():
        assert entries[keys[row]]["issued"] == {"date-parts": [[year]]}, row


def test_an_unidentified_article_says_so(entries, keys) -> None:
    article = entries[keys["press_articles-000"]]
    assert "URL" not in article and "container-title" not in article and "author" not in article
    assert "not identified" in article["genre"]
    assert keys["published_figures-P05"] == keys["press_articles-000"]  # the figure taken from it
    # Its key says so too: no outlet, then the year its text gives, then its first words.
    assert keys["press_articles-000"] == "unidentified-2021-chinese-online-secondhand"


def test_a_press_article_is_cited_by_outlet_and_year(tables, keys) -> None:
    """Each press article the project started from is cited as any other page is, by
    outlet, year (or nd) and title; the keys are unique and follow from the data."""
    articles = tables["press_articles"]
    cited = {row: keys[f"press_articles-{row}"] for row in articles["article_id"]}
    assert len(set(cited.values())) == len(articles)
    assert cited == {
        "000": "unidentified-2021-chinese-online-secondhand",
        "001": "gccbusinessnews-com-nd-chinas-bitmain-suspends",
        "002": "regardnews-com-nd-china-has-added",
        "003": "0xkryptos-com-2021-chinas-largest-concentration",
        "004": "newsbsc-com-nd-china-crypto-mining",
    }


def test_readers_never_meet_a_file_name_or_code(entries) -> None:
    text = json.dumps(entries)
    assert "_" not in "".join(
        value for entry in entries.values() for key, value in entry.items()
        if isinstance(value, str) and key not in ("id", "URL")
    )  # fmt: skip
    assert ".txt" not in text
    assert "?" not in "".join(json.dumps(entry.get("issued", "")) for entry in entries.values())


def test_the_bibliography_does_not_depend_on_row_order(tables, sidecars, entries) -> None:
    shuffled = {
        table: tables[table].sample(frac=1, random_state=random.Random(3).randrange(100))
        for table in PRESS
    }
    again = bibliography(
        dict(reversed(sidecars.items())), press(shuffled), shuffled["press_articles"]
    )
    assert again == sorted(entries.values(), key=lambda entry: entry["id"])


def test_two_pages_with_one_key_are_refused(tables) -> None:
    events = tables["events"].head(2).copy()
    events["source_title"] = "One title"
    events["source_publisher"] = "CoinDesk"
    events["source_date"] = pd.Timestamp("2021-06-09")
    with pytest.raises(ValueError, match="share the citation key"):
        pages({"events": events})


def test_a_compiled_table_links_to_none_of_its_sources(entries, sidecars) -> None:
    compiled = {table for table, meta in sidecars.items() if meta.compiled}
    assert {"events", "machine_flows", "conflicting_figures", "source_statements"} <= compiled
    for table, meta in sidecars.items():
        if meta.compiled:
            # Not the one row's page its sidecar names: the rows name their own.
            assert "URL" not in entries[table], table
            assert "published with this report" in entries[table]["genre"], table
        else:
            assert entries[table]["URL"] == meta.url, table


def test_every_raw_table_and_every_source_of_the_ledger_is_listed(tables, sidecars, keys) -> None:
    listed = uncited(sidecars, tables["conflicting_figures"], keys)
    cited = [key.strip().lstrip("@") for key in yaml.safe_load(listed)["nocite"].split(",")]
    assert set(sidecars) <= set(cited)
    for row in ledger_rows(tables["conflicting_figures"]):
        assert keys[row] in cited, row
    # newsbsc.com (press article 004's outlet), The Rio Times, Forkast and Protos are named in
    # the ledger's claims.
    for row in ("machine_flows-M06", "machine_flows-M08", "published_figures-P03",
                "machine_flows-M34"):  # fmt: skip
        assert keys[row] in cited, row


def test_a_licence_is_printed_as_the_source_states_it(sidecars) -> None:
    assert licence_text(sidecars["coinmetrics_btc_daily"]) == "CC BY-NC 4.0"
    assert licence_text(sidecars["cbeci_countries"]).startswith("not stated by CCAF")
    with pytest.raises(ValueError, match="no licence_short"):
        licence_text(sidecar(title="A table", licence_id="CC-BY-4.0"))


def test_an_undated_dataset_names_its_snapshot_and_claims_no_year(entries, sidecars) -> None:
    for table, meta in sidecars.items():
        entry = entries[table]
        if meta.published:
            day = meta.published
            assert entry["issued"] == {"date-parts": [[day.year, day.month, day.day]]}, table
            continue
        day = meta.accessed
        assert f"napshot of {day.day} " in entry["genre"], table
        if meta.compiled:  # published with this report, so dated by the snapshot
            assert entry["issued"] == {"date-parts": [[day.year, day.month, day.day]]}, table
        else:  # the access date is not the source's date of publication
            assert "issued" not in entry, table
    # CCAF does not date its releases: its tables are cited "n.d.".
    assert "issued" not in entries["cbeci_countries"]


def test_a_title_the_page_did_not_show_is_not_printed_as_one(tables, keys, entries) -> None:
    """A row whose title was rebuilt from the page's address says so; its reference
    gives no title, and says the title was not shown."""
    described = [
        (table, row)
        for table in PRESS_TABLES
        for row in tables[table].to_dict("records")
        if str(row["source_title"]).startswith("(title not shown")
    ]
    assert len(described) >= 10  # the paraphrased titles of the press tables
    for table, row in described:
        entry = entries[keys[f"{table}-{row[PRESS_TABLES[table]]}"]]
        assert "title" not in entry, entry["id"]
        assert "title not shown" in entry["genre"].lower(), entry["id"]
    # A page whose headline is known keeps it: Tom's Hardware's, not its address's words.
    toms = entries["toms-hardware-2021-biggest-mining-gear"]
    assert toms["title"] == "Biggest Mining Gear Maker Halts Sales Amid China Crypto Crackdown"
    assert toms["genre"].startswith("Relays a Bloomberg report")
