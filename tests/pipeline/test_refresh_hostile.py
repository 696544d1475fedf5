"""`make refresh` against a hostile upstream, as a user runs it: the real make target in
a copy of the project, a server on 127.0.0.1 that trickles, never ends, or redirects
elsewhere. Each run ends within its stated limits, in one line, its memory bounded
(measured: the peak resident size of the make process and all it started).
"""

from __future__ import annotations

import hashlib
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from upstream_server import CM_PATH, Answer, Upstream

from conftest import ROOT, copy_project

#: The limits the copy's config sets for Coin Metrics.
REQUEST_SECONDS = 3
MAX_BYTES = 2**20

#: Runs a command and prints the peak resident size (KiB) of all it started.
MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    sources = project / "config/sources.yaml"
    text = sources.read_text(encoding="utf-8")
    limits = (f"  limits:\n    request_seconds: {REQUEST_SECONDS}\n"
              f"    max_bytes: {MAX_BYTES}\n")  # fmt: skip
    sources.write_text(text.replace("  table: coinmetrics_btc_daily\n",
                                    "  table: coinmetrics_btc_daily\n" + limits))  # fmt: skip
    return project


def make_refresh(project: Path, base_url: str) -> tuple[subprocess.CompletedProcess, float, int]:
    """`make refresh SOURCE=coinmetrics ... ACCEPT=1` with this checkout's environment."""
    command = [sys.executable, "-c", MEASURE, "make", "--no-print-directory", "refresh",
               "SOURCE=coinmetrics", f"BASE_URL={base_url}", "ACCEPT=1",
               f"VENV={ROOT / '.venv'}", f"UV={ROOT / '.tools/bin/uv'}"]  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    return done, elapsed, peak_kib


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (Answer(b'{"data": []}' * 50, trickle=0.05), f"{REQUEST_SECONDS} s request deadline"),
        (Answer(b"", endless=True), "limit"),
        (Answer(b"", status=302, headers={"Location": "http://localhost:9/v4/x"}),
         "another host"),
    ],
    ids=["trickling", "endless", "redirecting"],
)  # fmt: skip
def test_a_hostile_upstream_ends_make_refresh_in_one_line(
    project: Path, answer: Answer, said: str
) -> None:
    before = fingerprint(project / "data/raw")
    with Upstream() as server:
        server.add(CM_PATH, answer)
        done, elapsed, peak_kib = make_refresh(project, f"{server.url}/v4")
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR: ")]
    assert len(errors) == 1, done.stderr
    assert said in errors[0], errors[0]
    assert server.url in errors[0] or "localhost" in errors[0]
    assert "Traceback" not in done.stderr
    # Within the request deadline (and a Python start-up), memory bounded.
    assert elapsed < REQUEST_SECONDS + 10, elapsed
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert peak_kib < 200 * 1024, f"{peak_kib} KiB at its peak (this test: {baseline} KiB)"
    assert fingerprint(project / "data/raw") == before
