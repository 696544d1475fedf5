"""Replay a build's jobs in one Python process, in the order they started: the floor.

A build run with MINING_REPORT_RECORD_JOBS=<folder> records each job it runs (its kind
and its input, output, params, wildcards and log). Run from a fresh copy of the
project, this calls the same job functions with the same arguments, one after another
in this one process, so it pays each import once and no scheduler at all: the time
the work itself takes. Usage: python benchmarks/floor.py <folder>

With ``--only KIND`` it replays the jobs of that kind alone, and ``--set NAME=VALUE``
changes a parameter of theirs (the render job with another engine: ``--only render
--set engine=quarto``).
"""

from __future__ import annotations

import argparse
import importlib
import pickle
import sys
import time
from pathlib import Path
from typing import Any


class Named(list):
    """A list whose items can also be reached by name, as a Snakemake rule names them."""

    def __init__(self, items: list[Any], names: dict[str, list[int | None]]) -> None:
        super().__init__(items)
        self._names = names
        for name, (start, end) in names.items():
            setattr(self, name, items[start] if end is None else items[start:end])

    def __getitem__(self, key: Any) -> Any:
        return getattr(self, key) if isinstance(key, str) else super().__getitem__(key)

    def items(self):  # type: ignore[override]
        return ((name, getattr(self, name)) for name in self._names)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key) if key in self._names else default


class Job:
    def __init__(self, record: dict[str, Any]) -> None:
        for part in ("input", "output", "params", "wildcards", "log"):
            setattr(self, part, Named(*record[part]))


def main(folder: Path, only: str | None = None, settings: dict[str, str] | None = None) -> None:
    start = time.perf_counter()
    records = sorted(folder.glob("*.pickle"), key=lambda p: int(p.name.split("-")[0]))
    records = [path for path in records if only is None or path.stem.endswith(f"-{only}")]
    times = []
    for path in records:
        record = pickle.loads(path.read_bytes())
        job = Job(record)
        for name, value in (settings or {}).items():
            setattr(job.params, name, value)
        for output in job.output:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(job.log[0]).parent.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        importlib.import_module(f"mining_report.pipeline.jobs.{record['kind']}").main(job)
        times.append((time.perf_counter() - began, Path(job.log[0]).stem))
    print(f"{len(records)} jobs in {time.perf_counter() - start:.2f} s", file=sys.stderr)
    # The slowest jobs (imports included, on first use), for finding where time goes.
    for seconds, name in sorted(times, reverse=True)[:12]:
        print(f"  {seconds:6.2f} s  {name}", file=sys.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the jobs a build recorded")
    parser.add_argument("--only", help="replay the jobs of this kind alone")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="change a parameter of the jobs replayed")  # fmt: skip
    args = parser.parse_args()
    main(args.folder, args.only, dict(item.split("=", 1) for item in args.set))
