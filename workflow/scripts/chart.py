"""Draw one chart of the report from cleaned tables: .vl.json, .svg, .pdf and its data.

The rule names the chart (params.chart) and its inputs, each a Parquet file whose
input name is an argument of the chart's function.
"""

from mining_report import step
from mining_report.charts import CHARTS, save_chart
from mining_report.io import read_tables


def main(snakemake) -> None:
    draw = CHARTS[snakemake.params.chart]
    chart = draw(**read_tables(snakemake.input))
    output = snakemake.output
    save_chart(chart, output.spec, output.svg, output.pdf, csv=output.csv)


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
