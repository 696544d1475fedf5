"""Write the report's CSL-JSON bibliography, and the references it lists uncited."""

import json
from typing import Any

import pandas as pd

from mining_report.io import write_text
from mining_report.raw.provenance import load_sidecars
from mining_report.report.bibliography import (
    PRESS_TABLES,
    bibliography,
    citation_keys,
    pages,
    uncited,
)


def main(job: Any) -> None:
    sidecars = load_sidecars(job.params.raw_csvs)
    press = {table: pd.read_parquet(job.input[table]) for table in PRESS_TABLES}
    articles = pd.read_parquet(job.input.press_articles)
    entries = bibliography(sidecars, press, articles)
    write_text(job.output.references, json.dumps(entries, indent=1, ensure_ascii=False) + "\n")
    keys = citation_keys(pages(press, articles))
    ledger = pd.read_parquet(job.input.conflicting_figures)
    write_text(job.output.nocite, uncited(sidecars, ledger, keys))
