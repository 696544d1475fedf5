"""Render the report to HTML or PDF with the configured engine.

Run as a script of its own (workflow/scripts/render.py) in the rules' conda
environment, which brings Quarto where it is the engine.
"""

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from .. import render


def main(job: Any) -> None:
    engine = render.choose_engine(job.params.engine)
    target = Path(job.output[0])
    fmt = job.params.format
    logging.getLogger("render").info("rendering %s with %s", target, engine)
    qmd = Path(job.input.qmd)
    if engine == "quarto":
        render.quarto_render(qmd, target, to=fmt)
        return
    common = dict(
        lua_filter=Path(job.input.lua_filter),
        bibliography=Path(job.input.bibliography),
        variables=Path(job.input.variables),
        lineage=Path(job.input.lineage),
    )
    if fmt == "html":
        render.pandoc_html(
            qmd,
            target,
            header=Path(job.input.header),
            css=Path(job.input.css),
            page_css=Path(job.input.page_css),
            page_script=Path(job.input.page_script),
            **common,
        )
    else:
        render.pandoc_pdf(qmd, target, date=dt.date.fromisoformat(job.params.date), **common)
