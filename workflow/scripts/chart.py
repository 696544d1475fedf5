"""Draw one chart of the report from cleaned tables: .vl.json, .svg and .pdf.

The rule names the chart (params.chart) and its inputs, each a Parquet file whose
input name is an argument of the chart's function.
"""

from mining_report import step
from mining_report.charts import CHARTS, save_chart
from mining_report.io import read_tables


def main(snakemake) -> None:
    draw = CHARTS[snakemake.params.chart]
    chart = draw(**read_tables(snakemake.input))
    save_chart(chart, snakemake.output.spec, snakemake.output.svg, snakemake.output.pdf)


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
