"""Write reports/_build/edition.json: the record of this edition (report.edition)."""

import json
from pathlib import Path
from typing import Any

import yaml

from mining_report.io import write_text
from mining_report.pipeline.manifest import inputs_as_read
from mining_report.raw.provenance import load_sidecars
from mining_report.registry import CHARTS
from mining_report.report.edition import code_digest, edition_record, git_revision


def main(job: Any) -> None:
    variables = yaml.safe_load(Path(job.input.variables).read_text("utf-8"))
    raw = [Path(p) for p in job.input.raw]
    vintage = inputs_as_read([Path(p) for p in job.input.valid], raw)
    sidecars = load_sidecars(job.input.raw)
    accessed = {str(csv): sidecars[csv.stem].accessed.isoformat() for csv in raw}
    package = json.loads(Path(job.input.datapackage).read_text("utf-8"))
    keys = {r["name"]: r["schema"].get("primaryKey", []) for r in package["resources"]}
    tables = {Path(csv).stem: (Path(csv), keys.get(Path(csv).stem, [])) for csv in job.input.tables}
    charts = {Path(csv).stem: Path(csv) for csv in job.input.charts}
    references = [entry["id"] for entry in json.loads(Path(job.input.references).read_text())]
    code = {
        "sha256": code_digest([Path(p) for p in job.input.code]),
        "revision": git_revision(),
    }
    lineage = json.loads(Path(job.input.lineage).read_text("utf-8"))["records"]
    labels = {
        "numbers": {name: entry["lineage"]["formula"] for name, entry in lineage.items()},
        "tables": {r["name"]: r.get("title", r["name"]).rstrip(".") for r in package["resources"]},
        "charts": {name: CHARTS[name].about.rstrip(".") for name in charts if name in CHARTS},
        "snapshots": {
            str(csv): f"{sidecars[csv.stem].author}, {sidecars[csv.stem].title}" for csv in raw
        },
    }
    record = edition_record(
        variables=variables, vintage=vintage, accessed=accessed, tables=tables,
        charts=charts, references=references, code=code, labels=labels,
    )  # fmt: skip
    write_text(job.output[0], json.dumps(record, indent=1, ensure_ascii=False) + "\n")
