"""btc_daily, computed from the committed Coin Metrics fields snapshot."""

from __future__ import annotations

import pandas as pd

from mining_report.derive.network import btc_daily, btc_daily_csv
from mining_report.raw.models.coin_metrics import BtcDailyRaw

from conftest import ROOT

FIELDS = ROOT / "data/raw/coinmetrics/coinmetrics_btc_daily.csv"


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
