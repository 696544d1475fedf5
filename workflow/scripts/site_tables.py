"""Publish the cleaned tables, their data dictionary and data package, and the raw
CSVs, beside the report."""

from mining_report import step
from mining_report.site import publish_files


def main(snakemake) -> None:
    sources = [
        *snakemake.input.tables,
        snakemake.input.dictionary,
        snakemake.input.datapackage,
        *snakemake.input.raw,
    ]
    targets = [
        *snakemake.output.tables,
        snakemake.output.dictionary,
        snakemake.output.datapackage,
        *snakemake.output.raw,
    ]
    publish_files(dict(zip(sources, targets, strict=True)))


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
