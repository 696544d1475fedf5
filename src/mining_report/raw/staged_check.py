"""Before a refresh replaces anything: would the build accept the staged snapshots?

A staged table has passed its own model, but the build checks more: the derived
tables that read it (a date out of order, a week missing), the cross-source checks
(Coin Metrics' hashrate against CCAF's), the report's numbers. So ``ACCEPT=1`` first
runs those steps — the workflow's ``checks`` target, which draws and renders
nothing — on a scratch copy of the project with the staged files in place of the
snapshots, and accepts only if that run succeeds. A failure is refused with the
build's own one-line verdict. The checkout is never touched by the check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from mining_report.run_log import failure_line, new_run_log, recorded_verdicts, run_logs

#: What a scratch copy needs to plan and run the `checks` target; outputs stay behind.
SOURCES = ("Snakefile", "workflow", "src", "config", "data/raw", "reports/index.qmd")
#: Never copied: caches and bytecode.
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".*.part")


class StagedRefused(Exception):
    """The build would fail on the staged snapshots; nothing was replaced."""


def scratch_copy(root: Path, target: Path, replace: Mapping[Path, Path]) -> Path:
    """Copy the project's sources and raw data to ``target``, then put each staged
    file over the raw file it would replace (``replace``: raw path -> staged path,
    both relative to ``root`` or absolute)."""
    for name in SOURCES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=_SKIP)
        elif source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / name)
    for raw, staged in replace.items():
        relative = Path(os.path.relpath(root / raw, root))
        shutil.copyfile(root / staged, target / relative)
    return target


def check_staged(replace: Mapping[Path, Path], root: Path = Path("."), cores: int = 2) -> None:
    """Run the build's checks on the project with ``replace`` applied; raise
    :class:`StagedRefused` with the build's verdict if they fail."""
    with tempfile.TemporaryDirectory(prefix="refresh-check-") as scratch:
        project = scratch_copy(root.resolve(), Path(scratch), replace)
        env = dict(os.environ)
        env.pop("MINING_REPORT_RECORD_JOBS", None)
        logs_before = run_logs(project)
        command = [
            sys.executable,
            "-m",
            "snakemake",
            "--force-use-threads",
            "checks",
            "--cores",
            str(cores),
        ]
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        if done.returncode == 0:
            return
        output = done.stdout + done.stderr
        verdicts = recorded_verdicts(project, None)
        line = failure_line(output, new_run_log(project, logs_before), project, verdicts)
        line = keep_what_it_wrote(project, root / KEPT, line)
        for raw, staged in replace.items():  # the file that failed is the staged one
            line = line.replace(str(raw), str(staged))
        raise StagedRefused(
            f"the build would fail on the staged data, so nothing was accepted: "
            f"{line.removeprefix('FAILED ')}"
        )


#: Where the check's logs and failure cases are kept to read, beside the staged files.
KEPT = Path("data/staging/check")
#: The folders of the scratch run that a verdict may name.
_NAMED = ("logs", "data/processed/validation")


def keep_what_it_wrote(project: Path, kept: Path, line: str) -> str:
    """Copy the scratch run's logs and failure cases to ``kept`` and point the verdict
    at the copies (the scratch folder is removed)."""
    shutil.rmtree(kept, ignore_errors=True)
    for name in _NAMED:
        if (project / name).is_dir():
            shutil.copytree(project / name, kept / name)
            line = line.replace(f"{name}/", f"{kept / name}/")
    return line
