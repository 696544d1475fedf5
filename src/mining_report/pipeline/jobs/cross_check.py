"""Hold two sources that measure the same thing to each other: CCAF's EH/s by country
against Coin Metrics' network hashrate. On failure the cases go to the failures file."""

import json
from typing import Any

import pandas as pd

from mining_report.errors import ValidationFailed
from mining_report.io import write_text
from mining_report.raw.cross_source import network_hashrate_failures
from mining_report.raw.failures import describe_failures, summary_path
from mining_report.raw.models.ranges import NETWORK_HASHRATE_TOLERANCE


def main(job: Any) -> None:
    countries_csv, daily_csv = job.params.raw_csvs
    failures = network_hashrate_failures(
        pd.read_parquet(job.input.cbeci_countries),
        pd.read_parquet(job.input.btc_daily),
        countries_csv,
        daily_csv,
        NETWORK_HASHRATE_TOLERANCE,
    )
    if not failures.empty:
        message = describe_failures(failures, countries_csv, job.params.failures)
        write_text(job.params.failures, failures.to_csv(index=False, lineterminator="\n"))
        write_text(summary_path(job.params.failures), message + "\n")
        raise ValidationFailed(message)
    record = {"check": "network_hashrate", "files": [countries_csv, daily_csv], "passed": True}
    write_text(job.output[0], json.dumps(record, indent=1, sort_keys=True) + "\n")
