"""Draw one chart of the report from cleaned tables: .vl.json, .svg and .pdf.

The rule names the chart (params.chart) and its inputs, each a Parquet file whose
input name is an argument of the chart's function.
"""

import pandas as pd

from mining_report import step
from mining_report.charts import CHARTS, save_chart


def main(snakemake) -> None:
    draw = CHARTS[snakemake.params.chart]
    tables = {
        name: pd.read_parquet(path) for name, path in snakemake.input.items() if name != "code"
    }
    chart = draw(**tables)
    save_chart(chart, snakemake.output.spec, snakemake.output.svg, snakemake.output.pdf)


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
