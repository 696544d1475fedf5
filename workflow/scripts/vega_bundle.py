"""Build the page-header include holding vega, vega-lite and vega-embed (once)."""

from pathlib import Path

from mining_report import step
from mining_report.render import write_header

step.run(lambda: write_header(Path(snakemake.output[0])), snakemake.log[0])  # noqa: F821
