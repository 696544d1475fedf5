"""Write the small CSV tables the report prints (sources, cleaned tables, conflicts)."""

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from mining_report.derive.catalog import CLEANED_MODELS
from mining_report.io import read_json_records, write_text
from mining_report.raw.provenance import load_sidecars
from mining_report.report.tables import cleaned_tables_table, conflicts_table, sources_table


def save(frame: pd.DataFrame, path: str) -> None:
    write_text(path, frame.to_csv(index=False, lineterminator="\n"))


def main(job: Any) -> None:
    validations = {record["table"]: record for record in read_json_records(job.input.valid)}
    sidecars = load_sidecars(job.params.raw_csvs)
    save(sources_table(validations, sidecars), job.output.sources)
    # Row counts come from the Parquet footers; the tables need not be read.
    counts = {Path(p).stem: pq.read_metadata(p).num_rows for p in job.input.tables}
    models = {table: CLEANED_MODELS[table] for table in counts}
    save(cleaned_tables_table(models, counts), job.output.tables)
    conflicts = pd.read_parquet(job.input.source_conflicts)
    save(conflicts_table(conflicts), job.output.conflicts)
