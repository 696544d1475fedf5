"""Publish the cleaned tables, their data dictionary and data package, and the raw
CSVs, beside the report."""

from typing import Any

from mining_report.report.site import publish_files


def main(job: Any) -> None:
    sources = [*job.input.tables, job.input.dictionary, job.input.datapackage, *job.input.raw]
    targets = [*job.output.tables, job.output.dictionary, job.output.datapackage, *job.output.raw]
    publish_files(dict(zip(sources, targets, strict=True)))
