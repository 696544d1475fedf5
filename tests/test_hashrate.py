"""Cleaned tables, on hand-built frames and against published figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.errors
import pytest

from mining_report.hashrate import hashrate_by_country
from mining_report.schemas import CHECK_COLUMNS, CbeciCountriesRaw
from mining_report.validation import validate_raw

ROOT = Path(__file__).resolve().parents[1]


def raw_rows(rows: list[tuple[str, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["date", "country", "share_pct", "abs_hashrate_ehs"]).assign(
        date=lambda d: pd.to_datetime(d["date"])
    )


def test_names_normalized_figures_unchanged_rows_sorted() -> None:
    raw = raw_rows(
        [
            ("2021-05-01", "Other", 10.0, 1.0),
            ("2021-05-01", "Mainland China", 60.0, 6.0),
            ("2021-04-01", "Iran, Islamic Rep.", 5.0, 0.5),
            ("2021-04-01", "Russian Federation", 15.0, 1.5),
            ("2021-04-01", "Germany *", 80.0, 8.0),
            ("2021-05-01", "Ireland *", 30.0, 3.0),
        ]
    )
    table = hashrate_by_country(raw)
    assert list(table.columns) == ["month", "country", "share_pct", "hashrate_ehs"]
    # Sorted by the key: April first, countries alphabetical within a month.
    assert list(table["country"]) == ["Germany", "Iran", "Russia", "China", "Ireland", "Other"]
    assert list(table["share_pct"]) == [80.0, 5.0, 15.0, 60.0, 30.0, 10.0]
    assert list(table["hashrate_ehs"]) == [8.0, 0.5, 1.5, 6.0, 3.0, 1.0]


def test_output_schema_rejects_a_duplicate_key() -> None:
    raw = raw_rows([("2021-04-01", "Canada", 1.0, 0.1), ("2021-04-01", "Canada", 2.0, 0.2)])
    with pytest.raises(pandera.errors.SchemaErrors):
        hashrate_by_country(raw)


@pytest.fixture(scope="module")
def real_table(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    raw = validate_raw(
        ROOT / "data/raw/ccaf/cbeci_countries.csv",
        CbeciCountriesRaw,
        tmp_path_factory.mktemp("v") / "failures.csv",
        CHECK_COLUMNS,
    )
    return hashrate_by_country(raw).set_index(["month", "country"])


@pytest.mark.parametrize(
    ("month", "country", "published"),
    [
        # CCAF figures as reported in the press (see the sidecar's checks).
        ("2019-09-01", "China", 75.53),
        ("2021-04-01", "China", 46.04),
        ("2021-08-01", "United States", 35.40),
        ("2021-08-01", "Kazakhstan", 18.10),
        ("2022-01-01", "China", 21.11),
    ],
)
def test_published_ccaf_figures(real_table: pd.DataFrame, month, country, published) -> None:
    assert real_table.loc[(pd.Timestamp(month), country), "share_pct"] == pytest.approx(published)


def test_every_month_has_ten_countries(real_table: pd.DataFrame) -> None:
    per_month = real_table.reset_index().groupby("month")["country"].nunique()
    assert (per_month == 10).all()
    assert len(per_month) == 29
