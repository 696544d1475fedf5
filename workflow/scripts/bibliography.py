"""Write the report's CSL-JSON bibliography: sidecars, press rows and seed articles."""

import json

import pandas as pd

from mining_report import step
from mining_report.bibliography import bibliography
from mining_report.io import write_text
from mining_report.provenance import load_sidecars


def main(snakemake) -> None:
    sidecars = load_sidecars(snakemake.params.raw_csvs)
    press = {
        table: pd.read_parquet(snakemake.input[table])
        for table in ("events", "machine_flows", "published_figures")
    }
    seeds = pd.read_parquet(snakemake.input.seeds)
    entries = bibliography(sidecars, press, seeds)
    write_text(snakemake.output[0], json.dumps(entries, indent=1, ensure_ascii=False) + "\n")


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
