"""Build the page-header include: vega, vega-lite, vega-embed, the chart drawing and
the popover showing where each number comes from."""

from pathlib import Path
from typing import Any

from ..render import write_header


def main(job: Any) -> None:
    write_header(
        Path(job.output[0]),
        charts_js=Path(job.input.charts_js),
        lineage_js=Path(job.input.lineage_js),
    )
