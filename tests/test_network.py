"""btc_daily, computed in the DAG from the Coin Metrics fields snapshot."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from mining_report.network import btc_daily, btc_daily_csv, daily_row
from mining_report.schemas import BtcDailyRaw

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ROOT / "data/raw/coinmetrics/btc_daily_source_fields.csv"


def test_one_day_worked_by_hand() -> None:
    # 675 blocks in 86,400 s is one per 128 s = 2^7 s, so a hash rate of 2^25 TH/s
    # means a mean difficulty of 2^25 x 10^12 x 2^7 / 2^32 = 10^12 exactly.
    fields = {"PriceUSD": "100.005", "HashRate_THs": "33554432", "BlkCnt": "675",
              "FeeTotNtv": "0.5", "IssTotUSD": "1000.0025"}  # fmt: skip
    row = daily_row(fields)
    assert row["difficulty"] == Decimal("1000000000000")
    assert row["hashrate_ehs"] == Decimal("33.554432")
    # Half a cent rounds up (binary floats or half-even would give 100.00 and 1050.00):
    # revenue = 1000.0025 + 0.5 x 100.005 = 1050.005.
    assert row["price_usd"] == Decimal("100.01")
    assert row["miner_revenue_usd"] == Decimal("1050.01")


def test_the_real_table_is_complete_typed_and_valid() -> None:
    table = BtcDailyRaw.validate(btc_daily(FIELDS), lazy=True)
    assert len(table) == 912
    assert table["date"].iloc[0] == pd.Timestamp("2020-01-01")
    assert table["date"].iloc[-1] == pd.Timestamp("2022-06-30")


def test_published_values_come_out_of_the_fields() -> None:
    table = btc_daily(FIELDS).set_index("date")
    # The sidecar's examples: the mixed adjustment day of the July 2021 difficulty drop,
    # and 2021-06-27, a day of only 58 blocks.
    assert table.loc["2021-07-03", "difficulty"] == 15_415_579_678_546
    assert round(table.loc["2021-06-27", "hashrate_ehs"], 2) == 57.47
    # The Sunday close of the base week (MARKETS provenance: 46,022.50 USD).
    assert table.loc["2021-05-16", "price_usd"] == 46_022.50


def test_the_csv_writes_each_column_to_its_rounding() -> None:
    text = btc_daily_csv(btc_daily(FIELDS))
    lines = text.splitlines()
    assert lines[0] == "date,price_usd,hashrate_ehs,difficulty,miner_revenue_usd"
    # 2020-01-01 from its fields: PriceUSD 7170.63186879018, HashRate 112929774.50430365,
    # BlkCnt 174, IssTotUSD 15596124.3146186415, FeeTotNtv 9.88624584.
    assert lines[1] == "2020-01-01,7170.63,112.929775,13056088759708,15667014.94"
