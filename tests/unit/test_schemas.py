"""The schema layer: the base model, the field factories and table-level checks."""

from __future__ import annotations

import pandas as pd
import pandera.errors
import pytest
from pandera.typing import Series

from mining_report.derive.conventions import field_unit
from mining_report.model_checks import (
    Model,
    change_pct,
    check_columns_of,
    count,
    http_url,
    month_start,
    one_of,
    share_pct,
    table_check,
    text,
    text_id,
)
from mining_report.raw.models import RAW_MODELS


def failed_checks(model: type[Model], frame: pd.DataFrame) -> set[str]:
    """The names of the checks ``frame`` fails, or an empty set when it passes."""
    try:
        model.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        return set(errors.failure_cases["check"].astype(str))
    return set()


class Shares(Model):
    share: Series[float] = share_pct("A share")


class Ids(Model):
    event_id: Series[str] = text_id("E")


class Months(Model):
    month: Series[pd.Timestamp] = month_start(pd.Timestamp("2021-01"), pd.Timestamp("2021-12"))


class Counts(Model):
    machines: Series[int] = count("Machines", unit="machines")


class Changes(Model):
    change: Series[float] = change_pct("A change")


class Links(Model):
    url: Series[str] = http_url(nullable=True)


class Words(Model):
    word: Series[str] = one_of(("a", "b"))
    note: Series[str] = text(3)


@pytest.mark.parametrize(
    ("model", "column", "good", "bad", "check"),
    [
        (Shares, "share", [0.0, 100.0], [100.5], "less_than_or_equal_to(100)"),
        (Shares, "share", [0.0, 100.0], [-0.01], "greater_than_or_equal_to(0)"),
        (Months, "month", ["2021-12-01"], ["2022-01-01"], "less_than_or_equal_to(2021-12-01"),
        (Months, "month", ["2021-01-01"], ["2020-12-01"], "greater_than_or_equal_to(2021-01-01"),
        # A month is its first day, in every model that has one.
        (Months, "month", ["2021-02-01"], ["2021-02-15"], "first_day_of_month"),
        (Counts, "machines", [0, 5], [-1], "greater_than_or_equal_to(0)"),
        (Changes, "change", [-100.0, 250.0], [-100.5], "greater_than_or_equal_to(-100)"),
        # An id's digits are ASCII: Arabic-Indic digits match \d, not [0-9].
        (Ids, "event_id", ["E08", "E10"], ["E\u0660\u0668"], "str_matches"),
        (Links, "url", ["https://example.org/a", None], ["javascript:alert(1)"], "str_matches"),
    ],
)
def test_a_factory_s_bounds_reject_what_is_out_of_range(
    model: type[Model], column: str, good: list, bad: list, check: str
) -> None:
    assert failed_checks(model, pd.DataFrame({column: good})) == set()
    failed = failed_checks(model, pd.DataFrame({column: good + bad}))
    assert any(name.startswith(check) for name in failed), failed


def test_an_id_is_unique_in_its_table() -> None:
    assert "field_uniqueness" in failed_checks(Ids, pd.DataFrame({"event_id": ["E01", "E01"]}))


def test_a_vocabulary_and_a_text_length_are_held() -> None:
    good = pd.DataFrame({"word": ["a", "b"], "note": ["abc", "abcd"]})
    assert failed_checks(Words, good) == set()
    assert failed_checks(Words, good.assign(word=["a", "c"])) == {"isin(['a', 'b'])"}
    assert failed_checks(Words, good.assign(note=["abc", "ab"])) == {"str_length(3, None)"}


def test_a_described_field_carries_its_unit_and_a_raw_one_none() -> None:
    assert field_unit(Shares.to_schema().columns["share"]) == "percent"
    assert field_unit(Counts.to_schema().columns["machines"]) == "machines"

    class RawShares(Model):
        share: Series[float] = share_pct()

    assert field_unit(RawShares.to_schema().columns["share"]) is None
    assert failed_checks(RawShares, pd.DataFrame({"share": [101.0]})) != set()


def test_the_base_model_is_strict_and_coerces() -> None:
    assert failed_checks(Shares, pd.DataFrame({"share": ["12.5"]})) == set()
    assert "column_in_schema" in failed_checks(Shares, pd.DataFrame({"share": [1.0], "x": [1]}))


def test_a_table_check_names_its_column_for_the_model_and_its_subclasses() -> None:
    class Pair(Model):
        low: Series[float]
        high: Series[float]

        @table_check("low_not_above_high", about="high")
        def ordered(cls, df: pd.DataFrame) -> Series[bool]:
            return df["low"] <= df["high"]

    class Triple(Pair):
        mid: Series[float]

        @table_check("mid_within", about="mid")
        def within(cls, df: pd.DataFrame) -> Series[bool]:
            return df["mid"].between(df["low"], df["high"])

    assert check_columns_of(Pair) == {"low_not_above_high": "high"}
    assert check_columns_of(Triple) == {"low_not_above_high": "high", "mid_within": "mid"}
    frame = pd.DataFrame({"low": [1.0], "high": [0.0], "mid": [2.0]})
    assert failed_checks(Triple, frame) == {"low_not_above_high", "mid_within"}


def test_every_table_level_check_of_a_raw_model_names_a_column_of_it() -> None:
    for table, model in RAW_MODELS.items():
        schema = model.to_schema()
        about = check_columns_of(model)
        assert {check.name for check in schema.checks} == set(about), table
        assert set(about.values()) <= set(schema.columns), table


def test_every_month_column_of_every_model_holds_first_days() -> None:
    from mining_report.derive.catalog import CLEANED_MODELS

    months = [
        (name, column)
        for name, model in {**RAW_MODELS, **CLEANED_MODELS}.items()
        for column, field in model.to_schema().columns.items()
        if "first_day_of_month" in [c.name for c in field.checks]
    ]
    # The two CCAF tables, the cleaned tables by month, the month each measure's
    # exposure is read from, and the months that weight the exposure bounds.
    assert set(months) == {
        ("cbeci_countries", "date"), ("cbeci_provinces", "date"),
        ("hashrate_by_country", "month"), ("hashrate_by_province", "month"),
        ("hashrate_migration", "month"), ("asic_prices", "month"),
        ("shutdowns", "exposure_month"), ("shutdown_exposure", "weights_month"),
    }  # fmt: skip
