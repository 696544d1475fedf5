"""Render the report to HTML or PDF with the configured engine."""

import datetime as dt
import logging
from pathlib import Path

from mining_report import render, step


def main(snakemake) -> None:
    engine = render.choose_engine(snakemake.params.engine)
    target = Path(snakemake.output[0])
    fmt = snakemake.params.format
    logging.getLogger("render").info("rendering %s with %s", target, engine)
    qmd = Path(snakemake.input.qmd)
    if engine == "quarto":
        render.quarto_render(qmd, target, to=fmt)
        return
    common = dict(
        lua_filter=Path(snakemake.input.lua_filter),
        bibliography=Path(snakemake.input.bibliography),
        variables=Path(snakemake.input.variables),
        lineage=Path(snakemake.input.lineage),
    )
    if fmt == "html":
        render.pandoc_html(
            qmd,
            target,
            header=Path(snakemake.input.header),
            css=Path(snakemake.input.css),
            page_css=Path(snakemake.input.page_css),
            page_script=Path(snakemake.input.page_script),
            **common,
        )
    else:
        render.pandoc_pdf(qmd, target, date=dt.date.fromisoformat(snakemake.params.date), **common)


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
