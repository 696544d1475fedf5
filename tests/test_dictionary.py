"""The data dictionary and data package describe every cleaned table completely."""

from __future__ import annotations

import pandas as pd

from mining_report.catalog import DERIVATIONS, PROCESSED_MODELS
from mining_report.dictionary import data_dictionary
from mining_report.tables import SNAKE_CASE, key_of


def test_every_derivation_has_a_model_and_back() -> None:
    assert set(DERIVATIONS) == set(PROCESSED_MODELS)


def test_every_column_is_described_and_snake_case() -> None:
    dictionary = data_dictionary(PROCESSED_MODELS)
    assert set(dictionary["table"]) == set(PROCESSED_MODELS)
    assert dictionary["description"].str.len().min() > 0
    assert dictionary["column"].map(lambda c: bool(SNAKE_CASE.match(c))).all()
    for table, model in PROCESSED_MODELS.items():
        rows = dictionary[dictionary["table"] == table]
        assert list(rows["column"]) == list(model.to_schema().columns)
        assert set(rows.loc[rows["key"], "column"]) == set(key_of(model))
        assert (model.__doc__ or "").strip(), f"{table} has no description"


def test_numeric_measures_carry_units() -> None:
    dictionary = data_dictionary(PROCESSED_MODELS)
    numbers = dictionary[(dictionary["type"] == "number") & ~dictionary["key"]]
    missing = numbers[numbers["unit"] == ""]
    assert missing.empty, missing[["table", "column"]].to_string()


def test_types_follow_the_schema() -> None:
    dictionary = data_dictionary(PROCESSED_MODELS).set_index(["table", "column"])
    assert dictionary.loc[("hashrate_by_country", "month"), "type"] == "date"
    assert dictionary.loc[("hashrate_by_country", "share_pct"), "type"] == "number"
    assert dictionary.loc[("shutdowns", "event_id"), "type"] == "string"
    assert isinstance(dictionary, pd.DataFrame)


def test_a_derived_infinity_is_refused_naming_table_column_and_row() -> None:
    import pandas as pd
    import pytest

    from mining_report.hashrate import HashrateByCountry
    from mining_report.tables import finalize

    columns = list(HashrateByCountry.to_schema().columns)
    row = {c: 1.0 for c in columns} | {"month": pd.Timestamp("2021-04-01"), "country": "China"}
    row["hashrate_ehs"] = float("inf")
    with pytest.raises(ValueError, match="column 'hashrate_ehs', check 'finite_number'"):
        finalize(pd.DataFrame([row]), HashrateByCountry)
