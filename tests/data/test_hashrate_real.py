"""The hashrate tables of the committed CCAF snapshots against published figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mining_report.derive.hashrate import hashrate_by_country
from mining_report.raw.models import RAW_MODELS
from mining_report.raw.validation import validate_raw

from conftest import ROOT


@pytest.fixture(scope="module")
def real_table(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    raw = validate_raw(
        ROOT / "data/raw/ccaf/cbeci_countries.csv",
        RAW_MODELS["cbeci_countries"],
        tmp_path_factory.mktemp("v") / "failures.csv",
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


def test_published_xinjiang_share_of_global_april_2020(
    real_table: pd.DataFrame, tmp_path: Path
) -> None:
    """CCAF's May 2020 launch: Xinjiang held 35.76 % of global hashrate in April 2020."""
    from mining_report.derive.hashrate import hashrate_by_province

    provinces = validate_raw(
        ROOT / "data/raw/ccaf/cbeci_provinces.csv", RAW_MODELS["cbeci_provinces"],
        tmp_path / "failures.csv",
    )  # fmt: skip
    table = hashrate_by_province(provinces, real_table.reset_index())
    xinjiang = table[(table["month"] == "2020-04-01") & (table["province"] == "Xinjiang")]
    assert xinjiang["share_of_global_pct"].iloc[0] == pytest.approx(35.76, abs=0.005)
    # June 2020's missing Inner Mongolia row stays missing.
    june = table[table["month"] == "2020-06-01"]
    assert "Inner Mongolia" not in set(june["province"]) and len(june) == 8
