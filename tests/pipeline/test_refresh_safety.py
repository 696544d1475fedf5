"""A refresh and a build stay safe against each other, and ACCEPT=1 accepts only what
the build accepts.

The upstream is a server on 127.0.0.1 serving a changed copy of the committed Coin
Metrics series; nothing reaches the network.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_refresh_built import FIELDS, with_july
from upstream_server import Upstream, coinmetrics_pages

from conftest import copy_project, start_rendering


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def refresh_command(server: Upstream, *extra: str) -> list[str]:
    return [sys.executable, "-m", "mining_report.raw.refresh", "--base-url", f"{server.url}/v4",
            *extra, "--", "coinmetrics"]  # fmt: skip


def swap_two_days(lines: list[str]) -> list[str]:
    """10 and 11 April 2020 in the wrong order: every value as published."""
    at = next(i for i, line in enumerate(lines) if line.startswith("2020-04-10,"))
    lines[at], lines[at + 1] = lines[at + 1], lines[at]
    return lines


def revise_march_2021(lines: list[str]) -> list[str]:
    """March 2021's hash rate revised up by half: no longer CCAF's within 1 %."""
    out = lines[:1]
    for line in lines[1:]:
        fields = line.rstrip("\r\n").split(",")
        if fields[0].startswith("2021-03"):
            fields[3] = str(float(fields[3]) * 1.5)
        out.append(",".join(fields) + "\n")
    return out


@pytest.mark.parametrize(
    ("change", "verdict"),
    [
        (swap_two_days, "at btc_daily: "),
        (revise_march_2021, "ccaf_ehs_matches_coin_metrics_hashrate"),
    ],
    ids=["dates-out-of-order", "breaks-the-cross-source-check"],
)
def test_accept_refuses_what_the_build_would_refuse(
    tmp_path: Path, built_env: dict[str, str], change, verdict: str
) -> None:
    project = copy_project(tmp_path / "project")
    before = fingerprint(project / "data/raw")
    lines = (project / FIELDS).read_text(encoding="utf-8").splitlines(keepends=True)
    upstream = tmp_path / "upstream.csv"
    upstream.write_text("".join(change(lines)), encoding="utf-8")
    env = dict(built_env)
    with Upstream() as server:
        coinmetrics_pages(server, upstream)
        done = subprocess.run(refresh_command(server, "--accept"), cwd=project, env=env,
                              capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR: ")]
    assert len(errors) == 1, done.stderr
    assert errors[0].startswith("ERROR: the build would fail on the staged data"), errors[0]
    assert verdict in errors[0]
    assert "Traceback" not in done.stderr
    assert fingerprint(project / "data/raw") == before
    # The check's own log, named in the line, is kept to read.
    named = errors[0].rsplit("(", 1)[-1].split(" ", 2)[-1].rstrip(")")
    assert (project / named).is_file(), named


def published_raw_sha(project: Path) -> str:
    record = json.loads((project / "reports/manifest.json").read_text())
    return record["raw_inputs"][FIELDS]["sha256"]


def test_a_refresh_during_a_build_waits_and_the_report_is_of_one_vintage(
    built_copy: Path, built_env: dict[str, str], tmp_path: Path
) -> None:
    project = built_copy
    old_sha = hashlib.sha256((project / FIELDS).read_bytes()).hexdigest()
    env = dict(built_env)
    build = start_rendering(project, built_env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert build.poll() is None, "the build ended before the refresh could start"
        with Upstream() as server:
            coinmetrics_pages(server, with_july(project / FIELDS, tmp_path / "upstream.csv"))
            refreshed = subprocess.run(refresh_command(server, "--accept"), cwd=project,
                                       env=env, capture_output=True, text=True)  # fmt: skip
        assert build.poll() is not None, "the refresh did not wait for the build"
    finally:
        _, err = build.communicate(timeout=300)
    assert build.returncode == 0, err[-3000:]
    assert refreshed.returncode == 0, refreshed.stderr
    assert "Waiting for a build (pid" in refreshed.stderr
    assert "31 added, 0 removed" in refreshed.stdout
    # The build that ran read the old vintage, and its manifest says so.
    assert published_raw_sha(project) == old_sha
    assert hashlib.sha256((project / FIELDS).read_bytes()).hexdigest() != old_sha
    with open(project / "data/processed/price_trends.csv", encoding="utf-8") as table:
        assert table.read().rstrip().splitlines()[-1].startswith("2022-06-20")
    sources = (project / "reports/_build/references.json").read_text(encoding="utf-8")
    assert "refreshed from" not in sources


def test_a_build_during_a_refresh_waits_then_gives_up_in_one_line(
    tmp_path: Path, built_env: dict[str, str]
) -> None:
    project = copy_project(tmp_path / "project")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from mining_report.checkout_lock import hold_checkout; "
         "hold_checkout('.', 'a refresh of ccaf'); print('held', flush=True); time.sleep(60)"],
        cwd=project, env=built_env,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        env = {**built_env, "MINING_REPORT_LOCK_WAIT": "1"}
        started = time.monotonic()
        command = [
            sys.executable,
            "-m",
            "mining_report.pipeline.launcher",
            "--cores",
            "2",
            "--dry-run",
        ]
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode != 0
    assert "Waiting for a refresh of ccaf (pid" in done.stdout + done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("FAILED before any step ran: a refresh of ccaf (pid"), last
    assert "a build did not start after waiting 1 s" in last
    assert "Traceback" not in done.stderr
    assert waited < 30
    assert not (project / "data/processed/validation").exists()
    # Once the refresh has ended (killed, even), the build goes ahead.
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
