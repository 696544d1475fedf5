"""Derive one cleaned table: read the declared inputs, call its function, save it.

The rule names the table (params.table), its inputs (each a Parquet file whose
input name is the function's argument) and options (params.options, keyword
arguments). The function returns the finished, validated table.
"""

from mining_report import step
from mining_report.catalog import DERIVATIONS
from mining_report.io import read_tables, write_table


def main(snakemake) -> None:
    derive = DERIVATIONS[snakemake.params.table]
    table = derive(**read_tables(snakemake.input), **dict(snakemake.params.get("options", {})))
    write_table(table, snakemake.output.parquet, snakemake.output.csv)


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
