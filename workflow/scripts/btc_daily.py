"""Compute the daily network table from the validated Coin Metrics fields snapshot.

Written to data/interim/btc_daily.parquet, where the price rules read it, after its
own model (BtcDailyRaw) has checked it.
"""

from mining_report import step
from mining_report.io import atomic_path
from mining_report.network import btc_daily
from mining_report.schemas import BtcDailyRaw


def main(snakemake) -> None:
    table = BtcDailyRaw.validate(btc_daily(snakemake.input.fields), lazy=True)
    with atomic_path(snakemake.output.parquet) as tmp:
        table.to_parquet(tmp, index=False)


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
