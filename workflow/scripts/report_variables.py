"""Write reports/_variables.yml: every number the report's prose quotes."""

import json
from pathlib import Path

import pandas as pd

from mining_report import step
from mining_report.io import write_text
from mining_report.provenance import load_sidecar
from mining_report.variables import report_variables, to_yaml


def main(snakemake) -> None:
    tables = {
        name: pd.read_parquet(path)
        for name, path in snakemake.input.items()
        if name not in ("valid", "meta", "code")
    }
    validations = [json.loads(Path(path).read_text()) for path in snakemake.input.valid]
    sidecars = {Path(csv).stem: load_sidecar(csv) for csv in snakemake.params.raw_csvs}
    values = report_variables(tables, validations, sidecars, snakemake.params.analysis)
    write_text(snakemake.output[0], to_yaml(values))


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
