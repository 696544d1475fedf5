"""Draw one chart of the report from cleaned tables: .vl.json, .svg, .pdf and its data.

The registry names the chart's function and its inputs, each a Parquet file whose
input name is an argument of the function.
"""

from typing import Any

from mining_report.charts.output import save_chart
from mining_report.io import read_tables
from mining_report.registry import CHARTS, resolve


def main(job: Any) -> None:
    draw = resolve(CHARTS[job.wildcards.chart].draw)
    chart = draw(**read_tables(job.input))
    output = job.output
    save_chart(chart, output.spec, output.svg, output.pdf, csv=output.csv)
