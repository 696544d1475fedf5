"""The whole pipeline on a real SLURM cluster: a throw-away single node on this machine.

`make test-cluster` runs this file (the default `make test` deselects the `cluster`
marker): tests/cluster/throwaway-slurm.sh installs SLURM and munge if missing and starts
munged, slurmctld and slurmd; a fresh copy of the project is built once locally and
once through the cluster profile, layered as a user without job accounting would, plus
the test-only layer tests/cluster/profile; then the daemons are stopped by PID, also
when a test fails. It needs root and Debian's packages: without them it skips locally
and fails in CI (`CI=true`). Every wait is bounded.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CLUSTER_PROFILES, SLURM_HELPER, copy_project, isolated_env, require

pytestmark = pytest.mark.cluster

#: Seconds: starting the cluster (incl. installing its packages), and the cluster run.
START_TIMEOUT = 900
RUN_TIMEOUT = 1200
#: What the cluster profile groups the 40 jobs of a cold build into (see its groups:).
MAX_SLURM_JOBS = 12


def helper(command: str, state: Path, timeout: float) -> subprocess.CompletedProcess:
    env = {**os.environ, "THROWAWAY_SLURM_DIR": str(state)}
    return subprocess.run(
        [str(SLURM_HELPER), command], env=env, capture_output=True, text=True, timeout=timeout
    )


def started_pids(state: Path) -> dict[str, int]:
    return {p.name.split(".")[0]: int(p.read_text()) for p in state.glob("*.started-pid")}


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A running single-node SLURM cluster; its state folder (logs, PIDs)."""
    require("root" if os.geteuid() == 0 else None, "root, to install SLURM and start its daemons")
    require(shutil.which("apt-get") and shutil.which("dpkg-query"), "Debian's apt, for SLURM")
    # `make test-cluster` names the folder, so that its trap can stop the daemons too.
    named = os.environ.get("THROWAWAY_SLURM_DIR")
    state = Path(named) if named else tmp_path_factory.mktemp("slurm")
    state.mkdir(parents=True, exist_ok=True)
    # A CI time-out sends SIGTERM: turn it into an exception so the daemons are stopped.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        started = helper("start", state, START_TIMEOUT)
        assert started.returncode == 0, started.stdout + started.stderr
        yield state
    finally:
        helper("stop", state, 120)
        signal.signal(signal.SIGTERM, previous)


def run_bounded(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> int:
    """Run ``command`` with output to ``log``; SIGINT it after RUN_TIMEOUT seconds.

    A Snakemake waiting on the cluster ignores SIGTERM; SIGINT makes it cancel its
    SLURM jobs and exit.
    """
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            return process.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            pytest.fail(f"{command[3:]} took over {RUN_TIMEOUT} s; log: {log}")


@pytest.fixture(scope="module")
def builds(cluster: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The same fresh copy built locally (cold) and on the cluster, with wall times."""
    base = tmp_path_factory.mktemp("cluster-builds")
    local, remote = copy_project(base / "local"), copy_project(base / "cluster")

    build = [
        sys.executable,
        "-m",
        "snakemake",
        "--force-use-threads",
        "--config",
        "render_engine=pandoc",
    ]
    local_log = base / "local-run.log"
    began = time.monotonic()
    returncode = run_bounded(
        [*build, "--cores", "2"], local, isolated_env(base / "home-l"), local_log
    )
    local_seconds = time.monotonic() - began
    assert returncode == 0, local_log.read_text()[-4000:]

    log = base / "cluster-run.log"
    began = time.monotonic()
    returncode = run_bounded(
        [*build, *CLUSTER_PROFILES], remote, isolated_env(base / "home-c"), log
    )
    cluster_seconds = time.monotonic() - began
    output = log.read_text()
    assert returncode == 0, output[-4000:]
    return {
        "local": local,
        "cluster": remote,
        "output": output,
        "local_seconds": local_seconds,
        "cluster_seconds": cluster_seconds,
    }


def submitted(output: str) -> dict[str, str]:
    """SLURM job id -> the executor's log of it, from the Snakemake run's output."""
    found = re.findall(r"submitted with SLURM jobid (\d+) \(log: ([^)]+)\)", output)
    return dict(found)


def test_every_job_ran_through_slurm(builds: dict, cluster: Path) -> None:
    output, project = builds["output"], builds["cluster"]
    jobs = submitted(output)
    assert 0 < len(jobs) <= MAX_SLURM_JOBS, sorted(jobs)
    # Only the target rule `all`, which runs nothing, stays in the Snakemake process.
    assert set(re.findall(r"^localrule (\w+):", output, re.M)) == {"all"}
    # The plan's "Job stats" table: rule -> jobs, without the target rule `all`.
    table = output.split("Job stats:", 1)[1].split("\ntotal", 1)[0]
    planned = {r: int(n) for r, n in re.findall(r"^(\w+)\s+(\d+)$", table, re.M) if r != "all"}
    # Each rule job ran inside a SLURM job: the executor's log of that job (kept by
    # the test profile) ends with all of its group's jobs done.
    ran, count = set(), 0
    for jobid in jobs:
        logs = list((project / ".snakemake" / "slurm_logs").rglob(f"{jobid}.log"))
        assert len(logs) == 1, f"no executor log for SLURM job {jobid}"
        text = logs[0].read_text()
        done = re.findall(r"^(\d+) of \1 steps \(100%\) done$", text, re.M)
        assert done, text[-2000:]
        count += int(done[-1])
        ran |= set(re.findall(r"^Finished jobid: \d+ \(Rule: (\w+)\)$", text, re.M))
    assert ran == set(planned)
    assert count == sum(planned.values())
    # SLURM ran each of them to completion, none asking for more than the node has.
    queue = subprocess.run(
        ["squeue", "--states=all", "--noheader", "--format=%i %T %C %m"],
        capture_output=True, text=True, timeout=30, check=True,
    ).stdout  # fmt: skip
    seen = {line.split()[0]: line.split()[1:] for line in queue.splitlines()}
    ctld = (cluster / "slurmctld.log").read_text()
    for jobid in jobs:
        state, cpus, memory = seen[jobid]
        assert state == "COMPLETED", (jobid, state)
        assert int(cpus) <= (os.cpu_count() or 1)
        assert int(memory.rstrip("M")) <= 2000
        assert re.search(rf"Started JobId={jobid} |Allocate JobId={jobid} ", ctld)
        assert f"JobId={jobid} done" in ctld


def manifest_paths(project: Path) -> list[str]:
    record = json.loads((project / "reports/manifest.json").read_text())
    return sorted(record["outputs"])


def test_cluster_outputs_are_byte_identical_to_a_local_build(builds: dict) -> None:
    local, remote = builds["local"], builds["cluster"]
    # Everything the manifest lists (processed tables, chart specs and SVGs, HTML,
    # PDF), the manifest itself (sha256 of inputs and outputs, tool versions) and
    # everything under data/processed/ (validation summaries included). Not compared:
    # the per-chart PDFs in reports/figures/ (their object order varies run to run),
    # reports/_build/ and logs/.
    processed = [
        str(p.relative_to(local)) for p in (local / "data/processed").rglob("*") if p.is_file()
    ]
    compared = sorted({*manifest_paths(local), *processed, "reports/manifest.json"})
    assert manifest_paths(local) == manifest_paths(remote)
    differ = [p for p in compared if (local / p).read_bytes() != (remote / p).read_bytes()]
    assert not differ, differ
    assert {"reports/crackdown.html", "reports/crackdown.pdf"} <= set(compared)


def test_report_wall_time_and_job_count(builds: dict, capsys: pytest.CaptureFixture) -> None:
    jobs = len(submitted(builds["output"]))
    local, cluster = builds["local_seconds"], builds["cluster_seconds"]
    with capsys.disabled():
        print(
            f"\ncluster run: {cluster:.1f} s in {jobs} SLURM jobs; local cold build: "
            f"{local:.1f} s; cluster / local = {cluster / local:.1f}"
        )
    assert cluster < RUN_TIMEOUT


def test_stop_leaves_no_daemon_running(cluster: Path) -> None:
    pids = started_pids(cluster)
    assert {"slurmctld", "slurmd"} <= set(pids)
    stopped = helper("stop", cluster, 120)
    assert stopped.returncode == 0, stopped.stderr
    assert not [name for name, pid in pids.items() if running(pid)]
    assert not started_pids(cluster)
    assert not Path("/etc/slurm/slurm.conf").exists()
