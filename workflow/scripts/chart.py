"""Draw one chart of the report from a cleaned table: .vl.json, .svg and .pdf."""

import pandas as pd

from mining_report import step
from mining_report.charts import CHARTS, save_chart


def main(snakemake) -> None:
    draw = CHARTS[snakemake.params.chart]
    chart = draw(pd.read_parquet(snakemake.input.table))
    save_chart(chart, snakemake.output.spec, snakemake.output.svg, snakemake.output.pdf)


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
