"""Write the small CSV tables the report prints (sources, cleaned tables, conflicts)."""

import json
from pathlib import Path

import pandas as pd

from mining_report import step
from mining_report.catalog import PROCESSED_MODELS
from mining_report.io import write_text
from mining_report.provenance import load_sidecar
from mining_report.report_tables import cleaned_tables_table, conflicts_table, sources_table


def save(frame: pd.DataFrame, path: str) -> None:
    write_text(path, frame.to_csv(index=False, lineterminator="\n"))


def main(snakemake) -> None:
    validations = {
        record["table"]: record
        for record in (json.loads(Path(p).read_text()) for p in snakemake.input.valid)
    }
    sidecars = {Path(csv).stem: load_sidecar(csv) for csv in snakemake.params.raw_csvs}
    save(sources_table(validations, sidecars), snakemake.output.sources)
    counts = {Path(p).stem: len(pd.read_parquet(p)) for p in snakemake.input.tables}
    models = {table: PROCESSED_MODELS[table] for table in counts}
    save(cleaned_tables_table(models, counts), snakemake.output.tables)
    conflicts = pd.read_parquet(snakemake.input.source_conflicts)
    save(conflicts_table(conflicts), snakemake.output.conflicts)


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
