"""Check every qualitative claim of the report's prose on the tables it is about.

Writes reports/_build/claims.json, each claim with its verdict and the value now, only
when all of them hold; otherwise raises ClaimBroken, one line naming the first broken
sentence, and writes every verdict to the job's log, so the render never starts.
"""

import json
import logging
from pathlib import Path
from typing import Any

import yaml

from mining_report.io import read_tables, write_text
from mining_report.numbers.claims import check_claims, refuse_broken, to_records


def main(job: Any) -> None:
    tables = read_tables({name: job.input[name] for name in job.params.tables})
    verdicts = check_claims(tables, job.params.options)
    records = to_records(verdicts)
    log = logging.getLogger("pipeline")
    for record in records:
        log.info("%s %s: %s", "holds" if record["holds"] else "BROKEN", record["claim"],
                 record["now"])  # fmt: skip
    variables = yaml.safe_load(Path(job.input.variables).read_text("utf-8"))
    refuse_broken(verdicts, variables, Path(job.input.qmd).read_text("utf-8"))
    write_text(job.output[0], json.dumps(records, indent=1, ensure_ascii=False) + "\n")
