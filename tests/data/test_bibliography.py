"""The bibliography of the committed tables: every press source and seed article, cited
by outlet, title and date."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest

from mining_report.bibliography import bibliography, licence_text
from mining_report.provenance import load_sidecars
from mining_report.schemas import RAW_MODELS
from mining_report.validation import validate_raw

from conftest import ROOT, sidecar

PRESS = ("events", "machine_flows", "published_figures", "seed_articles")


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("raw")
    return {
        table: validate_raw(
            ROOT / f"data/raw/press/{table}.csv",
            RAW_MODELS[table],
            folder / f"{table}.csv",
        )
        for table in PRESS
    }


@pytest.fixture(scope="module")
def sidecars() -> dict:
    return load_sidecars(sorted((ROOT / "data/raw").rglob("*.csv")))


@pytest.fixture(scope="module")
def entries(tables, sidecars) -> dict[str, dict]:
    press = {table: tables[table] for table in PRESS[:3]}
    built = bibliography(sidecars, press, tables["seed_articles"])
    assert [entry["id"] for entry in built] == sorted(entry["id"] for entry in built)
    return {entry["id"]: entry for entry in built}


def test_one_entry_per_raw_table_press_row_and_seed(entries, tables, sidecars) -> None:
    expected = set(sidecars)
    expected |= {f"events-{i}" for i in tables["events"]["event_id"]}
    expected |= {f"machine_flows-{i}" for i in tables["machine_flows"]["figure_id"]}
    expected |= {f"published_figures-{i}" for i in tables["published_figures"]["figure_id"]}
    expected |= {f"seed-{i}" for i in tables["seed_articles"]["seed_id"]}
    assert set(entries) == expected
    # The keys the report cites by convention.
    for key in ("events-E08", "machine_flows-M30", "published_figures-P03", "seed-001", "seed-004"):
        assert key in entries


def test_a_press_source_is_cited_by_outlet_title_author_and_date(entries) -> None:
    e08 = entries["events-E08"]
    assert e08["container-title"] == "CoinDesk"
    assert e08["title"] == "Some Xinjiang Bitcoin Miners Instructed to Shut Down: Report"
    assert (
        e08["URL"]
        == "https://www.coindesk.com/some-xinjiang-bitcoin-miners-instructed-to-shut-down-report"
    )
    assert e08["issued"] == {"date-parts": [[2021, 6, 9]]}
    assert e08["accessed"] == {"date-parts": [[2026, 11, 22]]}
    # The publisher as recorded is split into the outlet and what the page is.
    e01 = entries["events-E01"]
    assert (e01["container-title"], e01["genre"]) == ("Nasdaq.com", "Syndicated CoinDesk article")
    seed = entries["seed-004"]
    assert (seed["container-title"], seed["author"]) == ("newsbsc.com", [{"literal": "MN Mansha"}])


def test_an_ft_figure_is_cited_as_its_relay(entries) -> None:
    m04 = entries["machine_flows-M04"]
    assert m04["container-title"] == "ultcoin365.com"
    assert m04["genre"] == "Relays the Financial Times survey of 21 November 2021"
    # 2021-11-21 is the FT's (inferred) date, not the relay's: no date is printed.
    assert "issued" not in m04
    # A relay whose own address dates it keeps that date.
    assert entries["machine_flows-M28"]["issued"] == {"date-parts": [[2021, 11, 22]]}


def test_no_date_is_invented(entries, tables) -> None:
    """An entry has a date exactly when its row records the page's own date.

    Where no date is known the entry has none and pandoc prints "n.d.": for the FT
    relays, the pages whose date the compilers did not see, and the seed articles
    (none shows a publication date).
    """
    own_dates = {
        "events": ("event_id", "source_date"),
        "machine_flows": ("figure_id", "source_date"),
        "published_figures": ("figure_id", "source_date"),
    }
    seeds = tables["seed_articles"]
    self_dated = set(seeds.loc[seeds["date_written"].notna(), "url"])  # seed 003's page
    undated = []
    for table, (id_column, date_column) in own_dates.items():
        for row in tables[table].itertuples():
            entry = entries[f"{table}-{getattr(row, id_column)}"]
            day = getattr(row, date_column)
            if pd.notna(day):
                assert entry["issued"] == {"date-parts": [[day.year, day.month, day.day]]}
            elif row.source_url in self_dated:
                assert entry["issued"] == {"date-parts": [[2021]], "circa": True}, entry["id"]
            else:
                assert "issued" not in entry, entry["id"]
                undated.append(entry["id"])
    # events E07, E10, E25, E27, E32; 52 machine_flows rows less three from seed 003's page
    # (M44, M68, M69); published_figures less P04: see the sidecars.
    assert len(undated) == 5 + 49 + 5
    for seed in ("seed-000", "seed-001", "seed-002", "seed-004"):
        assert "issued" not in entries[seed]


def test_a_text_that_dates_itself_gets_an_inferred_year(entries) -> None:
    # Seed 003 says "today (9th)" of a Wednesday notice: written on 9 June 2021; the page
    # itself shows no date, so the year is printed as inferred ("[2021?]") and the day said.
    seed = entries["seed-003"]
    assert seed["issued"] == {"date-parts": [[2021]], "circa": True}
    assert "written on 9 June 2021" in seed["genre"]
    # Rows citing the same page are dated the same way.
    for key in ("published_figures-P04", "machine_flows-M68", "machine_flows-M44"):
        assert entries[key]["issued"] == seed["issued"], key
        assert "written on 9 June 2021" in entries[key]["genre"], key


def test_an_unidentified_seed_says_so(entries) -> None:
    seed = entries["seed-000"]
    assert "URL" not in seed and "container-title" not in seed and "author" not in seed
    assert "not identified" in seed["genre"]


def test_readers_never_meet_a_file_name_or_code(entries) -> None:
    text = json.dumps(entries)
    assert "_" not in "".join(
        value for entry in entries.values() for key, value in entry.items()
        if isinstance(value, str) and key not in ("id", "URL")
    )  # fmt: skip
    assert ".txt" not in text


def test_the_bibliography_does_not_depend_on_row_order(tables, sidecars, entries) -> None:
    shuffled = {
        table: tables[table].sample(frac=1, random_state=random.Random(3).randrange(100))
        for table in PRESS
    }
    again = bibliography(
        dict(reversed(sidecars.items())),
        {table: shuffled[table] for table in PRESS[:3]},
        shuffled["seed_articles"],
    )
    assert again == sorted(entries.values(), key=lambda entry: entry["id"])


def test_a_key_used_twice_is_refused(sidecars, tables) -> None:
    events = pd.concat([tables["events"].head(1)] * 2)
    with pytest.raises(ValueError, match="keys used twice: events-E01"):
        bibliography(sidecars, {"events": events})


def test_a_licence_is_printed_as_the_source_states_it(sidecars) -> None:
    assert licence_text(sidecars["btc_daily_source_fields"]) == "CC BY-NC 4.0"
    assert licence_text(sidecars["cbeci_countries"]).startswith("not stated by CCAF")
    with pytest.raises(ValueError, match="no licence_short"):
        licence_text(sidecar(title="A table", licence_id="CC-BY-4.0"))


def test_a_dataset_is_dated_by_its_snapshot_when_it_has_no_publication_date(
    entries, sidecars
) -> None:
    for table, meta in sidecars.items():
        entry = entries[table]
        if meta.published:
            day = meta.published
        else:
            day = meta.accessed
            assert entry["version"].startswith("snapshot of "), table
            assert str(day.year) in entry["version"], table
        assert entry["issued"] == {"date-parts": [[day.year, day.month, day.day]]}, table
