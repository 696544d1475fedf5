"""Render the report to HTML or PDF: the job mining_report.pipeline.jobs.render, run as a
script so that it runs in the rules' conda environment (Quarto, where it is used)."""

from mining_report.pipeline import step

step.run_job("render", snakemake, in_process=False)  # noqa: F821
