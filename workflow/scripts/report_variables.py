"""Write reports/_variables.yml: every number the report's prose quotes."""

from mining_report import step
from mining_report.io import read_json_records, read_tables, write_text
from mining_report.provenance import load_sidecars
from mining_report.variables import report_variables, to_yaml


def main(snakemake) -> None:
    tables = read_tables(snakemake.input, skip=("code", "valid", "meta"))
    validations = read_json_records(snakemake.input.valid)
    sidecars = load_sidecars(snakemake.params.raw_csvs)
    values = report_variables(tables, validations, sidecars, snakemake.params.analysis)
    write_text(snakemake.output[0], to_yaml(values))


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
