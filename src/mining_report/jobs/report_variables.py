"""Write reports/_variables.yml, every number the report's prose quotes, and
reports/_lineage.json, where each of them comes from."""

from pathlib import Path
from typing import Any

from ..io import read_json_records, read_tables, write_text
from ..lineage_records import to_json
from ..provenance import load_sidecars
from ..variables import report_lineage, report_variables, to_yaml


def main(job: Any) -> None:
    tables = read_tables(job.input, skip=("code", "valid", "meta", "raw"))
    validations = read_json_records(job.input.valid)
    sidecars = load_sidecars(job.params.raw_csvs)
    analysis = job.params.analysis
    values = report_variables(tables, validations, sidecars, analysis)
    raw_csvs = {Path(csv).stem: csv for csv in job.params.raw_csvs}
    lineage = report_lineage(values, tables, validations, sidecars, raw_csvs, analysis)
    write_text(job.output.variables, to_yaml(values))
    write_text(job.output.lineage, to_json(lineage))
