"""The data dictionary and data package describe every cleaned table completely."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from mining_report.derive.catalog import CLEANED_MODELS, DERIVATIONS
from mining_report.derive.conventions import SNAKE_CASE, key_of
from mining_report.derive.dictionary import data_dictionary

from conftest import sidecar


def test_every_derivation_has_a_model_and_back() -> None:
    assert set(DERIVATIONS) == set(CLEANED_MODELS)


def test_every_column_is_described_and_snake_case() -> None:
    dictionary = data_dictionary(CLEANED_MODELS)
    assert set(dictionary["table"]) == set(CLEANED_MODELS)
    assert dictionary["description"].str.len().min() > 0
    assert dictionary["column"].map(lambda c: bool(SNAKE_CASE.match(c))).all()
    for table, model in CLEANED_MODELS.items():
        rows = dictionary[dictionary["table"] == table]
        assert list(rows["column"]) == list(model.to_schema().columns)
        assert set(rows.loc[rows["key"], "column"]) == set(key_of(model))
        assert (model.__doc__ or "").strip(), f"{table} has no description"


def test_numeric_measures_carry_units() -> None:
    dictionary = data_dictionary(CLEANED_MODELS)
    numbers = dictionary[(dictionary["type"] == "number") & ~dictionary["key"]]
    missing = numbers[numbers["unit"] == ""]
    assert missing.empty, missing[["table", "column"]].to_string()


def test_types_follow_the_schema() -> None:
    dictionary = data_dictionary(CLEANED_MODELS).set_index(["table", "column"])
    assert dictionary.loc[("hashrate_by_country", "month"), "type"] == "date"
    assert dictionary.loc[("hashrate_by_country", "share_pct"), "type"] == "number"
    assert dictionary.loc[("shutdowns", "event_id"), "type"] == "string"
    assert isinstance(dictionary, pd.DataFrame)


def test_a_derived_infinity_is_refused_naming_table_column_and_row() -> None:
    import pandas as pd
    import pytest

    from mining_report.derive.conventions import finalize
    from mining_report.derive.models.hashrate import HashrateByCountry

    columns = list(HashrateByCountry.to_schema().columns)
    row = {c: 1.0 for c in columns} | {"month": pd.Timestamp("2021-04-01"), "country": "China"}
    row["hashrate_ehs"] = float("inf")
    with pytest.raises(ValueError, match="column 'hashrate_ehs', check 'finite_number'"):
        finalize(pd.DataFrame([row]), HashrateByCountry)


# --- the data package, checked by the reference implementation ------------------------


def test_a_table_s_raw_sources_follow_its_derivation() -> None:
    from mining_report.derive.dictionary import raw_sources

    raws = {
        "cbeci_countries", "cbeci_provinces", "events", "coinmetrics_btc_daily",
        "conflicting_figures", "machine_flows", "machine_flow_entities", "published_figures",
    }  # fmt: skip
    assert raw_sources("hashrate_by_country", raws) == ["cbeci_countries"]
    # shutdown_exposure <- events, hashrate_by_province <- cbeci_provinces, hashrate_by_country.
    assert raw_sources("shutdown_exposure", raws) == [
        "cbeci_countries", "cbeci_provinces", "events",
    ]  # fmt: skip
    # price_trends reads btc_daily, itself computed from Coin Metrics' fields.
    assert raw_sources("price_trends", raws) == ["coinmetrics_btc_daily"]
    # The ledger argument is the raw conflicting_figures table.
    assert "conflicting_figures" in raw_sources("machine_exports", raws)


def _package(tmp_path: Path, cells: list[str]) -> Path:
    """A one-table package written by datapackage() for a small hand-built model."""
    from mining_report.derive.dictionary import datapackage

    class Small(pa.DataFrameModel):
        """Small table. Key: name."""

        name: Series[str] = pa.Field(description="A name")
        note: Series[str] = pa.Field(nullable=True, description="May be empty")

        class Config:
            unique = ["name"]

    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "small.csv").write_text("name,note\n" + "".join(f"{c},x\n" for c in cells))
    meta = sidecar(title="A source", url="https://example.org/", licence_id="CC-BY-4.0",
                   licence_short="CC BY 4.0")  # fmt: skip
    package = datapackage({"small": Small}, tmp_path, {"cbeci_countries": meta})
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps(package))
    return path


def test_the_reference_validator_refuses_an_empty_required_cell(tmp_path: Path) -> None:
    import frictionless

    import mining_report.derive.catalog as catalog

    # "small" is no derivation: give it none, so it has no raw sources.
    catalog.DERIVATIONS["small"] = lambda: None
    try:
        assert frictionless.validate(_package(tmp_path / "a", ["one", "two"])).valid
        report = frictionless.validate(_package(tmp_path / "b", ["one", ""]))
    finally:
        del catalog.DERIVATIONS["small"]
    assert not report.valid
    assert "constraint-error" in {error.type for error in report.tasks[0].errors}
