"""Write reports/_build/changes-section.md: the report's "What changed since the edition
of …" section, against the edition the config names (report.since_edition); empty
without one, or when the data did not change."""

import json
from pathlib import Path
from typing import Any

from mining_report.io import write_text
from mining_report.report.changes import Edition, compare, from_folder, to_section


def main(job: Any) -> None:
    since = job.params.since
    if not since:
        write_text(job.output[0], "")
        return
    record = json.loads(Path(job.input.edition).read_text("utf-8"))
    tables = {Path(p).stem: Path(p).read_text("utf-8") for p in job.input.tables}
    new = Edition(record, tables, "this build")
    old = from_folder(Path(job.input.since).parent)
    changes = compare(old, new, Path(job.input.qmd).read_text("utf-8"))
    write_text(job.output[0], to_section(changes))
