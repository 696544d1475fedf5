"""Machine counts, the FT destination table and the conflict ledger of the committed raw
tables, against the figures the FT report published (as relayed, see machine_flows'
sidecar)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from mining_report.derive.conflicts import source_conflicts
from mining_report.derive.hashrate import hashrate_by_country
from mining_report.derive.machines import (
    FT_DESTINATIONS,
    machine_counts,
    machine_exports,
    machine_exports_by_destination,
)
from mining_report.raw.models import RAW_MODELS
from mining_report.raw.validation import validate_raw
from mining_report.vocabularies import MACHINE_FLOWS

from conftest import ROOT


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("raw")
    paths = {
        "machine_flows": "press/machine_flows.csv",
        "machine_flow_entities": "press/machine_flow_entities.csv",
        "published_figures": "press/published_figures.csv",
        "conflicting_figures": "press/conflicting_figures.csv",
        "events": "press/events.csv",
        "cbeci_countries": "ccaf/cbeci_countries.csv",
        "cbeci_provinces": "ccaf/cbeci_provinces.csv",
    }
    return {
        table: validate_raw(ROOT / "data/raw" / path, RAW_MODELS[table], folder / f"{table}.csv")
        for table, path in paths.items()
    }


def test_every_machine_count_has_exactly_one_annotation(raw) -> None:
    counts = machine_counts(raw["machine_flows"])["figure_id"]
    annotated = raw["machine_flow_entities"]["figure_id"]
    assert len(counts) == 42
    assert sorted(annotated) == sorted(counts)
    assert annotated.is_unique


def test_real_machine_exports(raw) -> None:
    table = machine_exports(
        raw["machine_flows"], raw["machine_flow_entities"], raw["conflicting_figures"]
    ).set_index("figure_id")
    assert len(table) == 42
    assert set(table["flow"]) == set(MACHINE_FLOWS)
    m06 = table.loc["M06"]
    assert (m06["machines"], m06["first_of_pair"], m06["in_conflict_ledger"]) == (
        205000,
        True,
        True,
    )
    assert table["first_of_pair"].sum() == 1
    assert table.loc["M04", "qualifier"] == "at least"
    assert table.loc["M01", "qualifier"] == "lower bound: 'more than 2m'"
    assert table.loc["M04", "destination_country"] == "Russia"
    assert table.loc["M10", "company"] == "BitFuFu"


@pytest.fixture(scope="module")
def real_destinations(raw) -> pd.DataFrame:
    return machine_exports_by_destination(
        raw["machine_flows"], raw["machine_flow_entities"], raw["published_figures"]
    ).set_index("destination_country")


@pytest.mark.parametrize(
    ("country", "machines", "rank"),
    [
        # The FT report of November 2021 as relayed (machine_flows' checks_at_snapshot).
        ("Russia", 205_000, 1),
        ("Kazakhstan", 87_849, 2),
        ("United States", 87_200, 3),
        ("Canada", None, 4),
        ("Paraguay", None, 5),
        ("Venezuela", None, 5),
    ],
)
def test_ft_destination_figures(real_destinations, country, machines, rank) -> None:
    row = real_destinations.loc[country]
    assert row["rank"] == rank
    if machines is None:
        assert pd.isna(row["machines"])
    else:
        assert row["machines"] == machines


def test_russia_share_of_the_tracked_machines(real_destinations) -> None:
    # 205,000 of the ~430,000 machines tracked to a destination: 47.67 %.
    assert real_destinations.loc["Russia", "share_of_tracked_pct"] == 48  # about: a bound
    assert real_destinations.loc["Russia", "figure_ids"] == "M03 ; M04"
    assert len(real_destinations) == 6
    assert FT_DESTINATIONS.tracked_total == "M03"


@pytest.fixture(scope="module")
def real_ledger(raw) -> pd.DataFrame:
    countries = hashrate_by_country(raw["cbeci_countries"])
    china = countries[countries["country"] == "China"].set_index("month")["share_pct"]
    provinces = raw["cbeci_provinces"].rename(columns={"date": "month"})
    provinces["share_of_global_pct"] = (
        provinces["share_of_china_pct"] * provinces["month"].map(china) / 100
    )
    return source_conflicts(
        raw["conflicting_figures"],
        raw["machine_flows"],
        raw["events"],
        raw["published_figures"],
        countries,
        provinces,
        snapshot_sources={"cbeci_countries": "Countries (CCAF)", "cbeci_provinces": "Provinces"},
    ).set_index("conflict_id")


def test_m06_is_in_the_ledger_against_russias_total(real_ledger) -> None:
    row = real_ledger[real_ledger["claim_a_ref"] == "machine_flows:M06"]
    assert "machine_flows:M04" in set(row["claim_b_ref"])
    k = row[row["claim_b_ref"] == "machine_flows:M04"].iloc[0]
    assert (k["claim_a_value"], k["claim_b_value"]) == ("205000 of 430000", "205000")
    assert k["used"] == "b"


@pytest.mark.parametrize(
    ("claim_a", "claim_b", "values"),
    [
        ("machine_flows:M12", "machine_flows:M10", ("87000", "80000")),
        ("machine_flows:M12", "machine_flows:M09", ("87000", "87849")),
        ("machine_flows:M08", "machine_flows:M04", ("1800000", "205000")),
        # Xinjiang's notice: reported as a shutdown order, "temporary rectification" per
        # Wu Blockchain (events sidecar C4).
        ("events:E08:measure", "published_figures:P04",
         ("shutdown order", "temporary rectification")),
        # Machine prices: different machines and windows (machine_flows sidecar C18).
        ("machine_flows:M30", "machine_flows:M31", ("41.7", "75")),
        ("machine_flows:M34", "machine_flows:M31", ("80", "75")),
        # Dates of one measure: seed 000's "April" against the 9 March notice (C1), and the
        # national notice's release against the date it bears (C6).
        ("published_figures:P05", "events:E02", ("2021-04", "2021-03-09")),
        ("events:E21", "published_figures:P06", ("2021-09-24", "2021-09-03")),
        # Seed 003's "of China" shares are CCAF's shares of global hashrate in April 2020,
        # as the Mining Map's launch coverage printed them (35.76 and 8.07).
        ("machine_flows:M68", "hashrate_by_province:2020-04-01:Xinjiang:share_of_global_pct",
         ("35", "35.76")),
        ("machine_flows:M69", "hashrate_by_province:2020-04-01:Inner Mongolia:share_of_global_pct",
         ("8", "8.07")),
        # CCAF's revision of April 2020: 65.08 at launch, 64.81 in the download.
        ("published_figures:P01", "hashrate_by_country:2020-04-01:China:share_pct",
         ("65.08", "64.81")),
    ],
)  # fmt: skip
def test_required_conflicts_are_recorded(real_ledger, claim_a, claim_b, values) -> None:
    row = real_ledger[
        (real_ledger["claim_a_ref"] == claim_a) & (real_ledger["claim_b_ref"] == claim_b)
    ]
    assert len(row) == 1, (claim_a, claim_b)
    assert (row["claim_a_value"].iloc[0], row["claim_b_value"].iloc[0]) == values


@pytest.mark.parametrize(
    ("claim_a", "claim_b"),
    [
        # Bit Digital's 20,000 "at the ban" lies between its 35,090 of 30 April and 9,484 of
        # 30 June 2021: counts at different dates, not a conflict.
        ("machine_flows:M18", "machine_flows:M21"),
        ("machine_flows:M18", "machine_flows:M22"),
        # 24,000 machines added in June and a 5,400-unit order still being delivered.
        ("machine_flows:M26", "machine_flows:M27"),
        # 2 million moved out by 14 companies and up to 2 million stuck in Sichuan: other fleets.
        ("machine_flows:M01", "machine_flows:M62"),
    ],
)  # fmt: skip
def test_claims_that_can_both_be_true_are_not_in_the_ledger(real_ledger, claim_a, claim_b) -> None:
    pairs = set(zip(real_ledger["claim_a_ref"], real_ledger["claim_b_ref"], strict=True))
    assert (claim_a, claim_b) not in pairs and (claim_b, claim_a) not in pairs


def test_every_ledger_row_resolves(raw, real_ledger) -> None:
    assert len(real_ledger) == len(raw["conflicting_figures"])
    assert set(real_ledger["used"]) <= {"a", "b", "neither"}
    assert real_ledger.loc["K15", "used"] == "neither"


def test_the_ledger_speaks_to_readers(raw) -> None:
    # topic and why are printed in the report: no row ids, seed numbers or file names.
    for column in ("topic", "why"):
        for text in raw["conflicting_figures"][column]:
            assert not re.search(r"\b[EMKPC][0-9]{2}\b|\bseed\b|_", text), text
