"""Machine counts, the FT destination table and the conflict ledger, on hand-built
frames with answers worked out by hand."""

from __future__ import annotations

import pandas as pd
import pandera.errors
import pandera.pandas as pa
import pytest
from pandera.typing import Series

from mining_report.derive.conflicts import source_conflicts
from mining_report.derive.machines import (
    DestinationFigures,
    machine_exports,
    machine_exports_by_destination,
    unit_qualifier,
)
from mining_report.derive.models.hashrate import HashrateByCountry

FLOW_COLUMNS = [
    "figure_id", "date_reported", "metric", "value", "unit", "entity", "source_title",
    "source_publisher", "source_url", "note", "confidence",
]  # fmt: skip


def flows(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """machine_flows rows from (figure_id, value, unit, entity, confidence)."""
    records = [
        {
            "figure_id": figure_id,
            "date_reported": pd.Timestamp("2021-11-21") if figure_id != "M06" else pd.NaT,
            "metric": f"metric of {figure_id}",
            "value": value,
            "unit": unit,
            "entity": entity,
            "source_title": "A title",
            "source_publisher": f"Publisher {figure_id}",
            "source_url": f"https://example.org/{figure_id}",
            "note": None,
            "confidence": confidence,
        }
        for figure_id, value, unit, entity, confidence in rows
    ]
    return pd.DataFrame(records, columns=FLOW_COLUMNS)


def entities(rows: list[tuple[str, str | None, str | None, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["figure_id", "destination_country", "company", "flow"])


def ledger(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """Raw ledger rows from (conflict_id, claim_a, claim_b, used)."""
    return pd.DataFrame(
        [
            (cid, f"topic {cid}", a, b, used, f"why {cid}, in a sentence.")
            for cid, a, b, used in rows
        ],
        columns=["conflict_id", "topic", "claim_a", "claim_b", "used", "why"],
    )


# --- machine_exports on hand-built frames ------------------------------------------


@pytest.fixture
def small_flows() -> pd.DataFrame:
    return flows(
        [
            ("M08", "1800000", "machines or inquiries (meaning disputed)", "BitRiver", "uncertain"),
            ("M06", "205000 of 430000", "machines", "BitRiver (Russia)", "uncertain"),
            ("M04", "205000", "machines ('at least')", "Russia", "confirmed"),
            ("M15", "4", "rank", "Canada", "confirmed"),
            ("M01", "2000000", "machines (lower bound: 'more than 2m')", "14 firms", "confirmed"),
            ("M30", "41.7", "percent", "Antminer S19", "confirmed"),
        ]
    )


@pytest.fixture
def small_entities() -> pd.DataFrame:
    return entities(
        [
            ("M06", "Russia", "BitRiver", "arrived abroad"),
            ("M01", None, None, "left China"),
            ("M08", "Russia", "BitRiver", "other"),
            ("M04", "Russia", None, "left China"),
        ]
    )


def test_machine_counts_are_normalized_and_sorted(small_flows, small_entities) -> None:
    conflicts = ledger([("K01", "machine_flows:M06", "machine_flows:M04", "b")])
    table = machine_exports(small_flows, small_entities, conflicts)
    # Only the four machine counts, sorted by figure_id; the rank and the percent are left out.
    assert list(table["figure_id"]) == ["M01", "M04", "M06", "M08"]
    assert list(table["machines"]) == [2_000_000, 205_000, 205_000, 1_800_000]
    assert str(table["machines"].dtype) == "Int64"
    # "205000 of 430000": the first number, flagged.
    assert list(table["first_of_pair"]) == [False, False, True, False]
    assert table["qualifier"].tolist()[:2] == ["lower bound: 'more than 2m'", "at least"]
    assert pd.isna(table.loc[2, "qualifier"])
    assert table.loc[3, "qualifier"] == "or inquiries (meaning disputed)"
    assert list(table["in_conflict_ledger"]) == [False, True, True, False]
    assert list(table["flow"]) == ["left China", "left China", "arrived abroad", "other"]
    assert pd.isna(table.loc[0, "destination_country"]) and pd.isna(table.loc[0, "company"])
    assert table.loc[2, "company"] == "BitRiver"
    assert pd.isna(table.loc[2, "date_reported"])
    assert table.loc[0, "source_url"] == "https://example.org/M01"


@pytest.mark.parametrize(
    ("unit", "qualifier"),
    [
        ("machines", None),
        ("machines ('at least')", "at least"),
        ("machines (approx.)", "approx."),
        ("machines (lower bound: 'more than 2m')", "lower bound: 'more than 2m'"),
        ("machines ('an additional' / 'more than')", "'an additional' / 'more than'"),
        ("machines or inquiries (meaning disputed)", "or inquiries (meaning disputed)"),
    ],
)  # fmt: skip
def test_unit_qualifier(unit: str, qualifier: str | None) -> None:
    assert unit_qualifier(unit) == qualifier


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda e: e[e["figure_id"] != "M08"], "without an annotation: M08"),
        (lambda e: pd.concat([e, entities([("M99", None, None, "other")])]), "machine_flows: M99"),
        (lambda e: pd.concat([e, entities([("M15", None, None, "other")])]), "counts: M15"),
        (lambda e: pd.concat([e, e.iloc[:1]]), "more than once: M06"),
    ],
    ids=["missing", "unknown_figure", "not_a_count", "twice"],
)  # fmt: skip
def test_annotations_must_match_the_machine_counts(small_flows, small_entities, change, named):
    with pytest.raises(ValueError, match=named):
        machine_exports(small_flows, change(small_entities), ledger([]))


def test_a_count_that_is_not_a_whole_number_is_refused(small_flows, small_entities) -> None:
    small_flows.loc[small_flows["figure_id"] == "M04", "value"] = "205000.5"
    with pytest.raises(ValueError, match="not whole numbers: M04"):
        machine_exports(small_flows, small_entities, ledger([]))


def test_output_schema_refuses_a_flow_outside_the_vocabulary(small_flows, small_entities) -> None:
    small_entities.loc[0, "flow"] = "fled China"
    with pytest.raises(pandera.errors.SchemaErrors):
        machine_exports(small_flows, small_entities, ledger([]))


# --- machine_exports_by_destination on hand-built frames ----------------------------

FIGURES = DestinationFigures(
    tracked_total="T1", counts=("C1", "C2", "C3"), ranks=("R1",), named_after=("P01",)
)


def destination_frames(
    counts: tuple[str, str, str] = ("1000", "500", "250"),
    rank: str = "4",
    named: str = "Paraguay; Venezuela",
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    machine_flows = flows(
        [
            ("T1", "3000", "machines (approx.)", "all tracked destinations", "confirmed"),
            ("C1", counts[0], "machines ('at least')", "Russia", "confirmed"),
            ("C2", counts[1], "machines", "Kazakhstan", "uncertain"),
            ("C3", counts[2], "machines", "United States", "confirmed"),
            ("R1", rank, "rank", "Canada", "confirmed"),
        ]
    )
    annotations = entities(
        [
            ("T1", None, None, "left China"),
            ("C1", "Russia", None, "left China"),
            ("C2", "Kazakhstan", None, "left China"),
            ("C3", "United States", None, "left China"),
        ]
    )
    published = pd.DataFrame(
        [("P01", named, "countries named", "Pub", "https://example.org/P01", "single source")],
        columns=["figure_id", "value", "unit", "source_publisher", "source_url", "confidence"],
    )  # fmt: skip
    return machine_flows, annotations, published


def test_destinations_ranked_with_shares_of_the_tracked_total() -> None:
    table = machine_exports_by_destination(*destination_frames(), figures=FIGURES)
    assert list(table["destination_country"]) == [
        "Canada", "Kazakhstan", "Paraguay", "Russia", "United States", "Venezuela",
    ]  # fmt: skip
    by = table.set_index("destination_country")
    # 1000, 500 and 250 of about 3000 tracked: about 33, 17 and 8 %, no finer.
    assert by.loc["Russia", "share_of_tracked_pct"] == 33
    assert by.loc["Kazakhstan", "share_of_tracked_pct"] == 17
    assert by.loc["United States", "share_of_tracked_pct"] == 8
    # The bound each source puts on its count travels with it.
    assert by.loc["Russia", "qualifier"] == "at least"
    assert pd.isna(by.loc["Kazakhstan", "qualifier"])
    assert by["rank"].to_dict() == {
        "Russia": 1, "Kazakhstan": 2, "United States": 3, "Canada": 4,
        "Paraguay": 5, "Venezuela": 5,
    }  # fmt: skip
    assert by.loc["Russia", "machines"] == 1000
    for country in ("Canada", "Paraguay", "Venezuela"):
        assert pd.isna(by.loc[country, "machines"])
        assert pd.isna(by.loc[country, "share_of_tracked_pct"])
    assert by.loc["Russia", "figure_ids"] == "C1 ; T1"
    assert by.loc["Canada", "figure_ids"] == "R1"
    assert by.loc["Paraguay", "figure_ids"] == "P01 ; R1"
    # The weakest confidence of a row's figures.
    assert by["confidence"].to_dict() == {
        "Russia": "confirmed", "Kazakhstan": "uncertain", "United States": "confirmed",
        "Canada": "confirmed", "Paraguay": "single source", "Venezuela": "single source",
    }  # fmt: skip


def test_equal_counts_share_a_rank() -> None:
    table = machine_exports_by_destination(
        *destination_frames(counts=("1000", "500", "500")), figures=FIGURES
    )
    ranks = table.set_index("destination_country")["rank"]
    assert (ranks["Kazakhstan"], ranks["United States"], ranks["Canada"]) == (2, 2, 4)


@pytest.mark.parametrize(
    ("frames", "named"),
    [
        (destination_frames(rank="3"), "R1 ranks Canada 3, not after"),
        (destination_frames(named="Paraguay; Atlantis"), "'Atlantis' is not a destination"),
        (destination_frames(counts=("1000", "many", "250")), "C2 is not a whole number"),
    ],
    ids=["rank_taken", "unknown_country", "not_a_number"],
)
def test_destination_table_refuses_inconsistent_figures(frames, named) -> None:
    with pytest.raises(ValueError, match=named):
        machine_exports_by_destination(*frames, figures=FIGURES)


def test_a_missing_figure_is_named() -> None:
    missing = DestinationFigures(tracked_total="T1", counts=("C9",), ranks=(), named_after=())
    with pytest.raises(ValueError, match="figure C9 not found"):
        machine_exports_by_destination(*destination_frames(), figures=missing)


# --- source_conflicts on hand-built frames ------------------------------------------


class ProvinceModel(pa.DataFrameModel):
    """A stand-in for the cleaned province table: its key and units are all the ledger needs."""

    month: Series[pd.Timestamp] = pa.Field(description="First day of the month")
    province: Series[str] = pa.Field(description="Province")
    share_of_china_pct: Series[float] = pa.Field(
        description="Share of China's hashrate", metadata={"unit": "percent"}
    )
    share_of_global_pct: Series[float] = pa.Field(
        description="Share of global hashrate", metadata={"unit": "percent"}
    )

    class Config:
        unique = ["month", "province"]


PROVINCE = "hashrate_by_province:2020-04-01"
MODELS = {"hashrate_by_country": HashrateByCountry, "hashrate_by_province": ProvinceModel}
SOURCES = {"cbeci_countries": "Countries (CCAF)", "cbeci_provinces": "Provinces (CCAF)"}


@pytest.fixture
def ledger_inputs() -> dict[str, pd.DataFrame]:
    april = pd.Timestamp("2020-04-01")
    return {
        "machine_flows": flows(
            [
                ("M06", "205000 of 430000", "machines", "BitRiver (Russia)", "uncertain"),
                ("M04", "205000", "machines ('at least')", "Russia", "confirmed"),
            ]
        ),
        "events": pd.DataFrame(
            {
                "event_id": ["E09"],
                "date_announced": [pd.Timestamp("2021-06-09")],
                "source_publisher": ["CoinDesk"],
                "source_url": ["https://example.org/E09"],
            }
        ),
        "published_figures": pd.DataFrame(
            {
                "figure_id": ["P01"],
                "value": ["65.08"],
                "unit": ["percent (of global hashrate)"],
                "source_publisher": ["A launch article"],
                "source_url": ["https://example.org/P01"],
            }
        ),
        "hashrate_by_country": pd.DataFrame(
            {
                "month": [april, april],
                "country": ["China", "Russia"],
                "share_pct": [64.81, 6.9],
                "hashrate_ehs": [72.19, 7.69],
            }
        ),
        "hashrate_by_province": pd.DataFrame(
            {
                "month": [april, april],
                "province": ["Xinjiang", "Inner Mongolia"],
                "share_of_china_pct": [55.18, 12.45],
                # 64.81 x 55.18 / 100 = 35.762358 and 64.81 x 12.45 / 100 = 8.068845
                "share_of_global_pct": [35.762358, 8.068845],
            }
        ),
    }


def resolve(rows, inputs) -> pd.DataFrame:
    return source_conflicts(
        ledger(rows), **inputs, snapshot_sources=SOURCES, models=MODELS
    ).set_index("conflict_id")


def test_claims_resolve_to_value_unit_and_source(ledger_inputs) -> None:
    table = resolve(
        [
            ("K03", "events:E09", f"{PROVINCE}:Inner Mongolia:share_of_global_pct", "a"),
            ("K01", "machine_flows:M06", "machine_flows:M04", "b"),
            ("K02", "published_figures:P01", "hashrate_by_country:2020-04-01:China:share_pct", "b"),
        ],
        ledger_inputs,
    )  # fmt: skip
    assert list(table.index) == ["K01", "K02", "K03"]
    k01, k02, k03 = table.loc["K01"], table.loc["K02"], table.loc["K03"]
    # Press values as text, exactly as in the data.
    assert (k01["claim_a_value"], k01["claim_a_unit"]) == ("205000 of 430000", "machines")
    assert (k01["claim_b_value"], k01["claim_b_unit"]) == ("205000", "machines ('at least')")
    assert k01["claim_b_source"] == "Publisher M04, https://example.org/M04"
    assert (k02["claim_a_value"], k02["claim_a_unit"]) == ("65.08", "percent (of global hashrate)")
    # Cleaned tables: rounded to 2 decimals, unit from the model, source from the sidecars.
    assert k02["claim_b_value"] == "64.81"
    assert k02["claim_b_unit"] == "percent (share of global hashrate)"
    assert k02["claim_b_source"] == "Countries (CCAF)"
    assert (k03["claim_a_value"], k03["claim_a_unit"]) == ("2021-06-09", "date announced")
    assert k03["claim_a_source"] == "CoinDesk, https://example.org/E09"
    assert k03["claim_b_value"] == "8.07"
    assert k03["claim_b_source"] == "Provinces (CCAF) ; Countries (CCAF)"
    assert list(table["used"]) == ["b", "b", "a"]
    assert table.loc["K01", "why"] == "why K01, in a sentence."


@pytest.mark.parametrize(
    ("ref", "named"),
    [
        ("machine_flows:M99", "machine_flows:M99: resolves to nothing"),
        ("events:E99", "events:E99: resolves to nothing"),
        ("published_figures:P09", "published_figures:P09: resolves to nothing"),
        ("hashrate_by_country:2030-01-01:China:share_pct", "China:share_pct: resolves to nothing"),
        ("hashrate_by_country:2020-04-01:Atlantis:share_pct", "Atlantis:share_pct: resolves to"),
        ("hashrate_by_country:2020-04-01:China:share", "has no value column 'share'"),
        (f"{PROVINCE}:Xinjiang", "expected hashrate_by_province:month:province:<column>"),
        ("atlas:X01", "atlas:X01: unknown table"),
    ],
)  # fmt: skip
def test_a_reference_that_resolves_to_nothing_is_named(ledger_inputs, ref, named) -> None:
    rows = [
        ("K01", "machine_flows:M06", "machine_flows:M04", "b"),
        ("K02", "machine_flows:M04", ref, "a"),
    ]
    with pytest.raises(ValueError, match="K02 claim_b") as err:
        resolve(rows, ledger_inputs)
    assert named in str(err.value)
    assert "K01" not in str(err.value)


def test_an_undated_event_cannot_be_a_claim(ledger_inputs) -> None:
    ledger_inputs["events"].loc[0, "date_announced"] = pd.NaT
    with pytest.raises(ValueError, match="events:E09: the event has no date_announced"):
        resolve([("K01", "events:E09", "machine_flows:M04", "b")], ledger_inputs)


def test_an_event_measure_resolves_to_words(ledger_inputs) -> None:
    ledger_inputs["events"]["measure"] = ["shutdown_order"]
    table = resolve([("K01", "events:E09:measure", "machine_flows:M04", "a")], ledger_inputs)
    claim = table.loc["K01"]
    assert (claim["claim_a_value"], claim["claim_a_unit"]) == (
        "shutdown order",
        "the project's class of the measure reported",
    )
    assert claim["claim_a_source"] == "CoinDesk, https://example.org/E09"


def test_a_press_source_names_its_author_and_may_lack_an_address(ledger_inputs) -> None:
    flows = ledger_inputs["machine_flows"]
    flows["source_author"] = ["MN Mansha", None]
    flows.loc[1, "source_url"] = None
    table = resolve([("K01", "machine_flows:M06", "machine_flows:M04", "b")], ledger_inputs)
    assert (
        table.loc["K01", "claim_a_source"] == "Publisher M06, by MN Mansha, https://example.org/M06"
    )
    assert table.loc["K01", "claim_b_source"] == "Publisher M04"


def test_the_ledger_resolves_every_citable_table_by_the_catalog_s_model() -> None:
    from mining_report.derive.catalog import CLEANED_MODELS
    from mining_report.derive.conflicts import CITED_MODELS
    from mining_report.vocabularies import CITABLE_TABLES

    assert set(CITED_MODELS) == set(CITABLE_TABLES)
    for table, model in CITED_MODELS.items():
        assert CLEANED_MODELS[table] is model, table
