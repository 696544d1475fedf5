"""Derive one cleaned table: read its declared inputs, call its function, save it.

The registry names the table's function, its inputs (each a Parquet file whose input
name is the function's argument) and options (keyword arguments, params.options).
The function returns the finished, validated table.
"""

from typing import Any

from mining_report.io import read_tables, write_table
from mining_report.registry import TABLES, resolve


def main(job: Any) -> None:
    derive = resolve(TABLES[job.wildcards.cleaned].derive)
    table = derive(**read_tables(job.input), **dict(job.params.options))
    write_table(table, job.output.parquet, job.output.csv)
