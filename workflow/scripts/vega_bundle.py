"""Build the page-header include: vega, vega-lite, vega-embed and the chart drawing."""

from pathlib import Path

from mining_report import step
from mining_report.render import write_header


def main(snakemake) -> None:
    write_header(Path(snakemake.output[0]), charts_js=Path(snakemake.input.charts_js))


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
