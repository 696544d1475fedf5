"""Build the page-header include: vega, vega-lite, vega-embed, the chart drawing and
the popover showing where each number comes from."""

from pathlib import Path

from mining_report import step
from mining_report.render import write_header


def main(snakemake) -> None:
    write_header(
        Path(snakemake.output[0]),
        charts_js=Path(snakemake.input.charts_js),
        lineage_js=Path(snakemake.input.lineage_js),
    )


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
