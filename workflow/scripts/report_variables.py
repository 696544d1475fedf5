"""Write reports/_variables.yml, every number the report's prose quotes, and
reports/_lineage.json, where each of them comes from."""

from pathlib import Path

from mining_report import step
from mining_report.io import read_json_records, read_tables, write_text
from mining_report.lineage_records import to_json
from mining_report.provenance import load_sidecars
from mining_report.variables import report_lineage, report_variables, to_yaml


def main(snakemake) -> None:
    tables = read_tables(snakemake.input, skip=("code", "valid", "meta", "raw"))
    validations = read_json_records(snakemake.input.valid)
    sidecars = load_sidecars(snakemake.params.raw_csvs)
    analysis = snakemake.params.analysis
    values = report_variables(tables, validations, sidecars, analysis)
    raw_csvs = {Path(csv).stem: csv for csv in snakemake.params.raw_csvs}
    lineage = report_lineage(values, tables, validations, sidecars, raw_csvs, analysis)
    write_text(snakemake.output.variables, to_yaml(values))
    write_text(snakemake.output.lineage, to_json(lineage))


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
