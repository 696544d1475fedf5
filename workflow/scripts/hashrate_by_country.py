"""Derive the cleaned monthly hashrate-by-country table."""

import pandas as pd

from mining_report import step
from mining_report.derive import hashrate_by_country
from mining_report.io import write_table


def main(snakemake) -> None:
    table = hashrate_by_country(pd.read_parquet(snakemake.input.cbeci_countries))
    write_table(table, snakemake.output.parquet, snakemake.output.csv)


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
