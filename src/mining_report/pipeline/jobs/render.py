"""Render the report to HTML and PDF with the engine the run was planned with.

Run as a script of its own (workflow/scripts/render.py) in the rules' conda
environment, which brings Quarto where it is the engine. Quarto renders both
formats in one run; the pandoc fallback renders them side by side.
"""

import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from mining_report.report import render


def main(job: Any) -> None:
    engine = render.choose_engine(job.params.engine)
    html, pdf = Path(job.output.html), Path(job.output.pdf)
    qmd = Path(job.input.qmd)
    date = dt.date.fromisoformat(job.params.date)
    logging.getLogger("render").info(
        "rendering %s and %s with %s", html, pdf, render.engine_version(engine)
    )
    if engine == "quarto":
        render.quarto_render(qmd, {"html": html, "typst": pdf}, {"pdf-date": date.isoformat()})
        return
    common = dict(
        lua_filter=Path(job.input.lua_filter),
        bibliography=Path(job.input.bibliography),
        variables=Path(job.input.variables),
        lineage=Path(job.input.lineage),
        metadata=Path(job.input.nocite),
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        renders = [
            pool.submit(
                render.pandoc_html,
                qmd,
                html,
                header=Path(job.input.header),
                **common,
            ),
            pool.submit(render.pandoc_pdf, qmd, pdf, date=date, **common),
        ]
        for done in renders:
            done.result()  # the first failure is raised, after both have ended
