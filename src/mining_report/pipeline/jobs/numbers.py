"""Compute one group of the report's numbers and where each comes from.

The registry's ``NUMBERS`` entry names the group's function and its inputs (each a
Parquet file whose input name is the function's argument); a group with
``validations`` also gets every raw table's validation record and sidecar. Writes the
group's values (reports/_build/numbers/<group>.yml) and the lineage record of each
(<group>.lineage.json); the report_variables job joins the groups.
"""

from pathlib import Path
from typing import Any

from mining_report.io import read_json_records, read_tables, write_text
from mining_report.numbers.common import RAW_TABLES, raw_tables_frame, to_yaml
from mining_report.numbers.lineage_records import lineage_records, to_json
from mining_report.raw.provenance import load_sidecars
from mining_report.registry import NUMBERS, resolve


def main(job: Any) -> None:
    group = NUMBERS[job.wildcards.numbers]
    frames = read_tables({argument: job.input[argument] for argument in group.inputs})
    # Only the raw tables the group's numbers come from: their sidecars name the sources.
    sidecars = load_sidecars(job.input.raw)
    raw_csvs = {Path(csv).stem: csv for csv in job.input.raw}
    named = {source.name: frames[argument] for argument, source in group.inputs.items()}
    arguments: dict[str, Any] = dict(frames) | dict(job.params.options)
    if group.validations:
        validations = read_json_records(job.input.valid)
        arguments |= {"validations": validations, "sidecars": sidecars}
        named[RAW_TABLES] = raw_tables_frame(validations, sidecars)
    values = resolve(group.compute)(**arguments)
    lineage = lineage_records(values, named, raw_csvs, sidecars, job.params.baseline_month)
    write_text(job.output.values, to_yaml(values))
    write_text(job.output.lineage, to_json(lineage))
