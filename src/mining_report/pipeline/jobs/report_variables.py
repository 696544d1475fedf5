"""Join the groups of numbers into reports/_variables.yml, every number the report's
prose quotes, and reports/_build/lineage.json, where each of them comes from."""

import json
from pathlib import Path
from typing import Any

import yaml

from mining_report.io import write_text
from mining_report.numbers.common import merge, to_yaml
from mining_report.numbers.lineage_records import records_json


def main(job: Any) -> None:
    values = merge(*(yaml.safe_load(Path(path).read_text("utf-8")) for path in job.input.values))
    records = merge(
        *(json.loads(Path(path).read_text("utf-8"))["records"] for path in job.input.lineage)
    )
    write_text(job.output.variables, to_yaml(values))
    write_text(job.output.lineage, records_json(records))
