"""Compute the daily network table from the validated Coin Metrics fields snapshot.

Written to data/interim/btc_daily.parquet, where the price tables read it, after its
own model (BtcDailyRaw) has checked it.
"""

from typing import Any

from mining_report.derive.network import btc_daily
from mining_report.io import atomic_path
from mining_report.raw.models.coin_metrics import BtcDailyRaw


def main(job: Any) -> None:
    table = BtcDailyRaw.validate(btc_daily(job.input.fields), lazy=True)
    with atomic_path(job.output.parquet) as tmp:
        table.to_parquet(tmp, index=False)
