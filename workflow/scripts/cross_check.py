"""Hold two sources that measure the same thing to each other: CCAF's EH/s by country
against Coin Metrics' network hashrate. On failure the cases go to the failures file."""

import json

import pandas as pd

from mining_report import step
from mining_report.io import write_text
from mining_report.schemas import NETWORK_HASHRATE_TOLERANCE
from mining_report.validation import (
    ValidationFailed,
    describe_failures,
    network_hashrate_failures,
    summary_path,
)


def main(snakemake) -> None:
    countries_csv, daily_csv = snakemake.params.raw_csvs
    failures = network_hashrate_failures(
        pd.read_parquet(snakemake.input.cbeci_countries),
        pd.read_parquet(snakemake.input.btc_daily),
        countries_csv,
        daily_csv,
        NETWORK_HASHRATE_TOLERANCE,
    )
    if not failures.empty:
        message = describe_failures(failures, countries_csv, snakemake.params.failures)
        write_text(snakemake.params.failures, failures.to_csv(index=False, lineterminator="\n"))
        write_text(summary_path(snakemake.params.failures), message + "\n")
        raise ValidationFailed(message)
    record = {"check": "network_hashrate", "files": [countries_csv, daily_csv], "passed": True}
    write_text(snakemake.output[0], json.dumps(record, indent=1, sort_keys=True) + "\n")


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
