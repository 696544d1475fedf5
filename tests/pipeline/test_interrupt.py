"""An interrupted run leaves no truncated report and no temporary file behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def complete_or_absent(path: Path, start: bytes, end: bytes) -> bool:
    if not path.exists():
        return True
    data = path.read_bytes()
    return data.startswith(start) and data.rstrip().endswith(end)


@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0])
def test_sigint_during_rendering(built_copy: Path, built_env: dict[str, str], delay: float) -> None:
    project = built_copy
    qmd = project / "reports/crackdown.qmd"
    # A content edit to the document reruns both render jobs, and only them.
    qmd.write_text(qmd.read_text() + "\nEdited.\n")
    for old_log in (project / "logs/report").glob("render_*.log"):
        old_log.unlink()
    command = [sys.executable, "-m", "snakemake", "--cores", "2", "--config",
               "render_engine=pandoc"]  # fmt: skip
    run = subprocess.Popen(command, cwd=project, env=built_env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 60
    # Wait until a render job has started, then interrupt after the given delay.
    while time.monotonic() < deadline and run.poll() is None:
        if list((project / "logs/report").glob("render_*.log")):
            break
        time.sleep(0.05)
    time.sleep(delay)
    if run.poll() is None:
        run.send_signal(signal.SIGINT)
    run.communicate(timeout=120)

    html, pdf = project / "reports/crackdown.html", project / "reports/crackdown.pdf"
    assert complete_or_absent(html, b"<!DOCTYPE html>", b"</html>")
    assert complete_or_absent(pdf, b"%PDF", b"%%EOF")
    leftovers = [p.name for p in (project / "reports").glob(".*") if p.is_file()]
    assert leftovers == [], leftovers
    assert not list(project.rglob("*.part"))
