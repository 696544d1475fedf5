"""Write the report's CSL-JSON bibliography: sidecars, press rows and seed articles."""

import json
from typing import Any

import pandas as pd

from ..bibliography import bibliography
from ..io import write_text
from ..provenance import load_sidecars


def main(job: Any) -> None:
    sidecars = load_sidecars(job.params.raw_csvs)
    press = {
        table: pd.read_parquet(job.input[table])
        for table in ("events", "machine_flows", "published_figures")
    }
    seeds = pd.read_parquet(job.input.seeds)
    entries = bibliography(sidecars, press, seeds)
    write_text(job.output[0], json.dumps(entries, indent=1, ensure_ascii=False) + "\n")
