"""Make variables are data, never shell: a value that tries to run a command, or to pass
as an option, ends in one clear error and runs nothing.

Each case runs the real `make` in the project; the payload would create a marker file
if any layer (make, the shell, the program's option parser) ran it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

PAYLOADS = [
    "x; touch {marker}",
    "x'; touch {marker}; '",
    'x" && touch {marker} && "',
    "$(shell touch {marker})",
    "`touch {marker}`",
    "$$(touch {marker})",
    "x\ntouch {marker}",
]

#: (target, variable, extra arguments): every variable a recipe passes on.
CASES = [
    ("refresh", "SOURCE", []),
    ("refresh", "BASE_URL", ["SOURCE=ccaf"]),
    ("resign", "TABLE", []),
    ("explain", "VAR", []),
    ("report", "CORES", []),
    ("report", "RENDER", []),
    ("refresh", "ACCEPT", ["SOURCE=ccaf"]),
    # Paths and programs a user may point elsewhere.
    ("report", "PYTHON", []),
    ("report", "VENV", []),
    ("report", "TOOLS", []),
    ("report", "UV", []),
]


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


@pytest.mark.parametrize(("target", "variable", "extra"), CASES, ids=[c[1] for c in CASES])
@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_a_variable_never_runs_as_a_command(
    target: str, variable: str, extra: list[str], payload: str, tmp_path: Path
) -> None:
    marker = tmp_path / "injected"
    done = make(target, *extra, f"{variable}={payload.format(marker=marker)}")
    assert not marker.exists(), f"{variable} ran a command: {done.stdout}{done.stderr}"
    assert done.returncode != 0
    # The program's `ERROR:` line, or make's own `*** ... Stop.` (not its "Error 2" echo).
    errors = [line for line in done.stderr.splitlines()
              if line.startswith("ERROR: ") or line.endswith("Stop.")]  # fmt: skip
    assert len(errors) == 1, done.stderr
    assert variable in errors[0], errors[0]
    assert "Traceback" not in done.stderr


def test_a_value_that_looks_like_an_option_is_not_one() -> None:
    """SOURCE=--accept must not accept anything: it is a (bad) name."""
    done = make("refresh", "SOURCE=--accept")
    assert done.returncode != 0
    assert "ERROR: SOURCE must be a source's name" in done.stderr
    assert "Accepted" not in done.stdout
