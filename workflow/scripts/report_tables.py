"""Write the small CSV tables the report prints (sources, cleaned tables, conflicts)."""

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from mining_report import step
from mining_report.catalog import PROCESSED_MODELS
from mining_report.io import read_json_records, write_text
from mining_report.provenance import load_sidecars
from mining_report.report_tables import cleaned_tables_table, conflicts_table, sources_table


def save(frame: pd.DataFrame, path: str) -> None:
    write_text(path, frame.to_csv(index=False, lineterminator="\n"))


def main(snakemake) -> None:
    validations = {record["table"]: record for record in read_json_records(snakemake.input.valid)}
    sidecars = load_sidecars(snakemake.params.raw_csvs)
    save(sources_table(validations, sidecars), snakemake.output.sources)
    # Row counts come from the Parquet footers; the tables need not be read.
    counts = {Path(p).stem: pq.read_metadata(p).num_rows for p in snakemake.input.tables}
    models = {table: PROCESSED_MODELS[table] for table in counts}
    save(cleaned_tables_table(models, counts), snakemake.output.tables)
    conflicts = pd.read_parquet(snakemake.input.source_conflicts)
    save(conflicts_table(conflicts), snakemake.output.conflicts)


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
