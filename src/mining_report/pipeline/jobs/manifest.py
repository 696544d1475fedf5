"""Write reports/manifest.json from the run's raw inputs and outputs."""

import json
from pathlib import Path
from typing import Any

from mining_report.io import write_text
from mining_report.pipeline.manifest import inputs_as_read, manifest, tool_versions
from mining_report.report.render import engine_version, pandoc_path


def main(job: Any) -> None:
    raw = inputs_as_read([Path(p) for p in job.input.valid], [Path(p) for p in job.input.raw])
    outputs = [Path(p) for p in job.input.outputs]
    published = dict(job.params.published)
    record = manifest(raw, outputs, tool_versions(pandoc_path()), published)
    record["rendered_by"] = engine_version(job.params.engine)
    write_text(job.output[0], json.dumps(record, indent=1, sort_keys=True) + "\n")
