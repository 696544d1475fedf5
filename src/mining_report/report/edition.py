"""Editions: what each published build of the report was made of, kept for comparison.

An edition is named by its data: the day its newest raw snapshot was taken
(``edition_day`` in the prose, ``edition`` here as an ISO date). Its record holds the
vintage of every raw snapshot (file, sha256, the day it was taken), the code that built
it (a digest of the package's sources and the git revision, where there is one), every
number the prose quotes by its lineage name, the sha256 of each cleaned table and of
each chart's data, and the keys of the references. The build writes the record to
``reports/_build/edition.json``; publishing moves it to ``reports/edition.json`` with the
HTML and PDF and archives it, with the cleaned tables as CSV, under
``editions/<edition>/``, where ``make changes`` finds the editions to compare.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: Where published editions are archived, one folder each.
EDITIONS = Path("editions")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_digest(files: list[Path]) -> str:
    """One sha256 over the package's source files (their paths and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(files, key=str):
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def git_revision(root: Path = Path(".")) -> str | None:
    """The commit checked out in ``root``, with ``-dirty`` if its sources differ from it;
    None outside a git checkout."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=10)  # fmt: skip
        if head.returncode != 0:
            return None
        sources = ["src", "workflow", "Snakefile", "reports/index.qmd"]
        clean = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", *sources], cwd=root,
                               timeout=10)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("" if clean.returncode == 0 else "-dirty")


def edition_record(
    *,
    variables: Mapping[str, str],
    vintage: Mapping[str, Mapping[str, Any]],
    accessed: Mapping[str, str],
    tables: Mapping[str, tuple[Path, list[str]]],
    charts: Mapping[str, Path],
    references: list[str],
    code: Mapping[str, Any],
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """The record of one edition. ``vintage`` is each raw file's entry as validation
    read it (sha256, bytes), ``accessed`` the day each raw table was taken (by file),
    ``tables`` each cleaned table's CSV and primary key, ``charts`` each chart's data;
    ``labels`` names numbers, tables, charts and snapshots in words, for readers."""
    days = sorted(accessed.values())
    return {
        "edition": days[-1],
        "oldest_snapshot": days[0],
        "vintage": {
            path: {"sha256": entry["sha256"], "bytes": entry["bytes"], "accessed": accessed[path]}
            for path, entry in sorted(vintage.items())
        },
        "code": dict(code),
        "numbers": {name: str(variables[name]) for name in sorted(variables)},
        "tables": {
            name: {"sha256": sha256(csv), "key": list(key)}
            for name, (csv, key) in sorted(tables.items())
        },
        "charts": {name: sha256(csv) for name, csv in sorted(charts.items())},
        "references": sorted(references),
        "labels": {kind: dict(sorted(names.items())) for kind, names in (labels or {}).items()},
    }


def _content(path: Path) -> dict[str, Any]:
    """A record without the code that built it: the same report from other code (a
    comment edited, a function moved) is the same edition, archived once."""
    record = json.loads(path.read_text(encoding="utf-8"))
    record.pop("code", None)
    return record


def archive(record_path: Path, tables_dir: Path, editions: Path = EDITIONS) -> tuple[Path, bool]:
    """Archive the published edition: its record and its cleaned tables (CSV) in
    ``editions/<edition>/``, replaced whole or not at all. Returns the folder and
    whether anything was written (an edition already archived with the same content is
    left alone, with the code that first made it)."""
    record = json.loads(record_path.read_text(encoding="utf-8"))
    target = editions / record["edition"]
    # Every successful run asks; only a new edition costs more than reading two records.
    if (target / "edition.json").is_file() and _content(target / "edition.json") == _content(
        record_path
    ):
        return target, False
    for name, table in record["tables"].items():
        if sha256(tables_dir / f"{name}.csv") != table["sha256"]:
            raise ValueError(f"{tables_dir / name}.csv is not the table edition "
                             f"{record['edition']} records: not archived")  # fmt: skip
    editions.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{record['edition']}.", dir=editions))
    try:
        (staging / "tables").mkdir()
        for name in record["tables"]:
            shutil.copyfile(tables_dir / f"{name}.csv", staging / "tables" / f"{name}.csv")
        shutil.copyfile(record_path, staging / "edition.json")
        if target.exists():  # the same day's edition, built again from other data or code
            old = editions / f".{record['edition']}.replaced"
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target, True
