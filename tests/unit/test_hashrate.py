"""The hashrate tables, on hand-built frames worked out by hand."""

from __future__ import annotations

import pandas as pd
import pandera.errors
import pytest

from mining_report.derive.hashrate import hashrate_by_country
from mining_report.vocabularies import COUNTRIES


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


def test_province_global_share_worked_by_hand() -> None:
    from mining_report.derive.hashrate import hashrate_by_province

    provinces = pd.DataFrame(
        {
            "date": pd.to_datetime(["2021-04-01", "2021-04-01", "2021-05-01"]),
            "province": ["Xinjiang", "Other", "Xinjiang"],
            "share_of_china_pct": [55.18, 44.82, 0.0],
        }
    )
    countries = pd.DataFrame(
        {
            "month": pd.to_datetime(["2021-04-01", "2021-05-01"]),
            "country": ["China", "China"],
            "share_pct": [64.81, 0.0],
            "hashrate_ehs": [1.0, 0.0],
        }
    )
    table = hashrate_by_province(provinces, countries)
    # 55.18 × 64.81 / 100 = 35.762158 → 35.7622; 44.82 × 64.81 / 100 = 29.047842 → 29.0478.
    assert list(table["share_of_global_pct"]) == [29.0478, 35.7622, 0.0]


def test_migration_changes_worked_by_hand() -> None:
    from mining_report.derive.hashrate import hashrate_migration

    rows = []
    for month, china, usa in (("2021-04-01", (46.0, 70.0), (17.0, 26.0)),
                              ("2021-08-01", (0.0, 0.0), (35.0, 42.0)),
                              ("2022-01-01", (21.0, 40.0), (38.0, 71.0))):  # fmt: skip
        for country, (share, ehs) in (("China", china), ("United States", usa)):
            rows.append((month, country, share, ehs))
    others = [c for c in COUNTRIES if c not in ("China", "United States")]
    for month in ("2021-04-01", "2021-08-01", "2022-01-01"):
        rows += [(month, c, 1.0, 1.0) for c in others]
    frame = pd.DataFrame(rows, columns=["month", "country", "share_pct", "hashrate_ehs"])
    frame["month"] = pd.to_datetime(frame["month"])
    months = {"before": "2021-04-01", "exodus": "2021-08-01", "latest": "2022-01-01"}
    table = hashrate_migration(frame, months).set_index(["country", "period"])
    assert table.loc[("China", "exodus"), "share_change_pts"] == -46.0
    assert table.loc[("China", "latest"), "hashrate_change_ehs"] == -30.0
    assert table.loc[("United States", "latest"), "share_change_pts"] == 21.0
    assert table.loc[("United States", "exodus"), "hashrate_change_ehs"] == 16.0
    assert len(table) == 3 * len(COUNTRIES)
    # "last" is the data's last month: here January 2022, as if named.
    last = hashrate_migration(frame, {**months, "latest": "last"})
    assert last.equals(hashrate_migration(frame, months))
    # With a later month in the data, "last" follows it.
    later = frame[frame["month"] == "2022-01-01"].assign(month=pd.Timestamp("2022-02-01"))
    moved = hashrate_migration(pd.concat([frame, later]), {**months, "latest": "last"})
    latest = moved.set_index(["country", "period"]).loc[("China", "latest"), "month"]
    assert latest == pd.Timestamp("2022-02-01")
