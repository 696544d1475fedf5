"""An interrupted run leaves no truncated report and no temporary file behind."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT, start_rendering


def complete_or_absent(path: Path, start: bytes, end: bytes) -> bool:
    if not path.exists():
        return True
    data = path.read_bytes()
    return data.startswith(start) and data.rstrip().endswith(end)


@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0])
def test_sigint_during_rendering(built_copy: Path, built_env: dict[str, str], delay: float) -> None:
    project = built_copy
    run = start_rendering(project, built_env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)  # fmt: skip
    # A render job has started: interrupt after the given delay.
    time.sleep(delay)
    if run.poll() is None:
        run.send_signal(signal.SIGINT)
    run.communicate(timeout=120)

    html, pdf = project / "reports/crackdown.html", project / "reports/crackdown.pdf"
    assert complete_or_absent(html, b"<!DOCTYPE html>", b"</html>")
    assert complete_or_absent(pdf, b"%PDF", b"%%EOF")
    sources = {p.name for p in (ROOT / "reports").glob(".*") if p.is_file()}  # .gitignore
    leftovers = [
        p.name for p in (project / "reports").glob(".*") if p.is_file() and p.name not in sources
    ]
    assert leftovers == [], leftovers
    assert not list(project.rglob("*.part"))
