"""Recover from a run that was killed (``kill -9``, a power cut) before the next one.

A killed Snakemake leaves its lock in ``.snakemake/locks/``, its unfinished jobs
marked in ``.snakemake/incomplete/``, and possibly hidden ``.part`` or ``.typ``
scratch files of the step it was in. The next run would then refuse to start and
ask for ``--unlock``. :func:`recover` clears all of that, but only when no other
Snakemake process is working in the project folder: a live run's lock is never
touched. The incomplete outputs themselves are left to ``--rerun-incomplete``.

Run it before Snakemake: ``python -m mining_report.pipeline.recovery`` (``make report`` does).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: Where the pipeline writes scratch files that a killed step may leave behind.
SCRATCH_FOLDERS = ("data", "reports", "logs")


@dataclass
class Recovery:
    """What :func:`recover` found and did."""

    running: list[int] = field(default_factory=list)
    locks_removed: list[Path] = field(default_factory=list)
    scratch_removed: list[Path] = field(default_factory=list)
    republished: bool = False

    def summary(self) -> str:
        """One line for the terminal."""
        if self.running:
            pids = ", ".join(str(pid) for pid in self.running)
            return (
                f"Another Snakemake run (pid {pids}) is working in this folder: wait for it "
                f"to finish, or stop it with `kill {self.running[0]}`, then run `make report`."
            )
        if self.locks_removed or self.scratch_removed or self.republished:
            return (
                f"Recovered from an interrupted run: removed {len(self.locks_removed)} stale "
                f"lock(s) and {len(self.scratch_removed)} scratch file(s)"
                + ("; finished publishing the last complete report." if self.republished else ".")
            )
        return ""


def snakemake_processes(project: Path, proc: Path = Path("/proc")) -> list[int]:
    """Process ids of Snakemake runs (and their jobs) whose working folder is ``project``."""
    project = project.resolve()
    found = []
    for entry in proc.iterdir() if proc.is_dir() else ():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue  # gone, or not ours to read
        if b"snakemake" in cmdline and (cwd == project or project in cwd.parents):
            found.append(int(entry.name))
    return sorted(found)


def _scratch_files(project: Path) -> Iterator[Path]:
    for folder in SCRATCH_FOLDERS:
        root = project / folder
        if not root.is_dir() or root.is_symlink():
            continue
        for path in root.rglob(".*"):
            if path.is_file() and path.name.endswith((".part", ".typ")):
                yield path


def recover(project: str | Path = ".", proc: Path = Path("/proc")) -> Recovery:
    """Clear a dead run's lock and scratch files; touch nothing while a run is alive."""
    project = Path(project).resolve()
    result = Recovery(running=snakemake_processes(project, proc))
    if result.running:
        return result
    locks = project / ".snakemake" / "locks"
    if locks.is_dir():
        for lock in sorted(locks.iterdir()):
            lock.unlink(missing_ok=True)
            result.locks_removed.append(lock)
    for scratch in _scratch_files(project):
        scratch.unlink(missing_ok=True)
        result.scratch_removed.append(scratch)
    result.republished = _finish_publishing(project)
    return result


def _finish_publishing(project: Path) -> bool:
    """A run killed between publishing the HTML and the PDF left them unmatched: the
    build folder still holds the complete pair its manifest records, so copy it again.
    An incomplete or failed build does not match its manifest and is not published."""
    import yaml

    from mining_report.pipeline.publish import NotPublished, publish_report

    try:
        config = yaml.safe_load((project / "config" / "config.yaml").read_text(encoding="utf-8"))
        name = config["report"]["name"]
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return False
    files = {f"reports/_build/{name}.{ext}": f"reports/{name}.{ext}" for ext in ("html", "pdf")}
    try:
        return publish_report(
            files, "reports/_build/manifest.json", "reports/manifest.json", root=project
        )
    except (NotPublished, OSError):
        return False


def main() -> int:
    """Recover the current folder; exit 1, saying what to do, while another run is alive."""
    result = recover(Path.cwd())
    line = result.summary()
    if line:
        print(line, file=sys.stderr)
    return 1 if result.running else 0


if __name__ == "__main__":
    sys.exit(main())
