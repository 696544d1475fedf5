"""Write reports/_variables.yml: every number the report's prose quotes."""

import pandas as pd

from mining_report import step
from mining_report.io import write_text
from mining_report.variables import hashrate_variables, to_yaml


def main(snakemake) -> None:
    hashrate = pd.read_parquet(snakemake.input.hashrate_by_country)
    values = hashrate_variables(hashrate, snakemake.params.pre_crackdown_month)
    write_text(snakemake.output[0], to_yaml(values))


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
