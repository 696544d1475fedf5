"""btc_daily, computed in the DAG from the Coin Metrics fields snapshot: one day by hand."""

from __future__ import annotations

from decimal import Decimal

from mining_report.derive.network import daily_row


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
