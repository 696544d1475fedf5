"""Write reports/manifest.json from the run's raw inputs and outputs."""

import json
from pathlib import Path

from mining_report import step
from mining_report.io import write_text
from mining_report.manifest import manifest, tool_versions
from mining_report.render import pandoc_path


def main(snakemake) -> None:
    raw = [Path(p) for p in snakemake.input.raw]
    outputs = [Path(p) for p in snakemake.input.outputs]
    published = dict(snakemake.params.published)
    record = manifest(raw, outputs, tool_versions(pandoc_path()), published)
    write_text(snakemake.output[0], json.dumps(record, indent=1, sort_keys=True) + "\n")


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
