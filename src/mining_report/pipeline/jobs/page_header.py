"""Build the page-header include: the page's style sheet, then vega, vega-lite and
vega-embed, the chart drawing, the popover showing where each number comes from and
the page's furniture, all inline."""

from pathlib import Path
from typing import Any

from mining_report.report.render import write_header


def main(job: Any) -> None:
    write_header(
        Path(job.output[0]),
        Path(job.input.css),
        Path(job.input.charts_js),
        Path(job.input.lineage_js),
        Path(job.input.page_js),
    )
