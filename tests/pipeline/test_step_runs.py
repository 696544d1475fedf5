"""A failing step, run as a process, ends in one readable line; its traceback goes to its
log."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from mining_report.pipeline import step
def broken():
    raise {error}
step.run(broken, sys.argv[1])
"""


def run_step(tmp_path: Path, error: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin"}
    code = SCRIPT.format(error=error)
    return subprocess.run([sys.executable, "-c", code, "logs/derive/shutdowns.log"],
                          cwd=tmp_path, env=env, capture_output=True, text=True)  # fmt: skip


def test_an_unexpected_error_ends_in_one_line_and_logs_the_traceback(tmp_path: Path) -> None:
    done = run_step(tmp_path, 'OverflowError("cannot convert float infinity to integer")')
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last == (
        "ERROR: shutdowns: OverflowError: cannot convert float infinity to integer "
        "(traceback in logs/derive/shutdowns.log)"
    )
    assert "Traceback" not in done.stderr
    assert "Traceback" in (tmp_path / "logs/derive/shutdowns.log").read_text()
    assert (tmp_path / "logs/failures.txt").read_text() == last.removeprefix("ERROR: ") + "\n"


def test_an_expected_error_prints_its_message(tmp_path: Path) -> None:
    done = run_step(tmp_path, 'step.EXPECTED_ERRORS[1]("data/raw/x.csv: line 3: bad")')
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == "ERROR: data/raw/x.csv: line 3: bad"
    assert "Traceback" not in done.stderr
