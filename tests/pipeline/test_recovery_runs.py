"""Recovery with processes: never while a run is alive, from the command line, from
`make report`, and after a real `kill -9`."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from mining_report.pipeline import recovery

from conftest import killed_run, start_rendering


@contextlib.contextmanager
def stand_in_run(project: Path) -> Iterator[subprocess.Popen]:
    """A stand-in Snakemake process working in the project folder, until the block ends."""
    alive = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(30)", "snakemake", "--cores", "1"],
        cwd=project,
    )
    try:
        deadline = time.monotonic() + 10
        while alive.pid not in recovery.snakemake_processes(project):
            assert time.monotonic() < deadline, "the stand-in run was not found"
            time.sleep(0.05)
        yield alive
    finally:
        alive.kill()
        alive.wait()


def test_nothing_is_touched_while_another_run_works_here(tmp_path: Path) -> None:
    killed_run(tmp_path)
    with stand_in_run(tmp_path) as alive:
        result = recovery.recover(tmp_path)
        assert result.running == [alive.pid]
        assert result.locks_removed == [] and result.scratch_removed == []
        assert (tmp_path / ".snakemake/locks/0.input.lock").exists()
        assert (tmp_path / "reports/.crackdown.abc.part").exists()
        line = result.summary()
        assert f"pid {alive.pid}" in line and "\n" not in line


def test_a_run_elsewhere_does_not_count(tmp_path: Path) -> None:
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    alive = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(30)", "snakemake"], cwd=elsewhere
    )
    try:
        time.sleep(0.2)
        (tmp_path / "project").mkdir()
        assert alive.pid not in recovery.snakemake_processes(tmp_path / "project")
    finally:
        alive.kill()
        alive.wait()


def test_the_command_line_says_one_line_and_exits_by_state(tmp_path: Path) -> None:
    killed_run(tmp_path)
    env = {"PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "mining_report.pipeline.recovery"], cwd=tmp_path,
                          env=env, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Recovered")
    again = subprocess.run([sys.executable, "-m", "mining_report.pipeline.recovery"], cwd=tmp_path,
                           env=env, capture_output=True, text=True)  # fmt: skip
    assert again.returncode == 0 and again.stderr == ""


def test_make_report_recovers_before_snakemake(tmp_path: Path) -> None:
    """The launcher `make report` runs clears a dead run, then runs Snakemake."""
    killed_run(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "mining_report.pipeline.launcher", "--dry-run"],
                          cwd=tmp_path, env=env, capture_output=True, text=True)  # fmt: skip
    assert done.stdout.startswith("Recovered from an interrupted run")
    assert not (tmp_path / ".snakemake/locks/0.input.lock").exists()
    # Snakemake did run after it (and failed: this folder has no Snakefile).
    assert "Snakefile" in done.stdout + done.stderr


def test_make_report_refuses_while_another_run_works_here(tmp_path: Path) -> None:
    killed_run(tmp_path)
    with stand_in_run(tmp_path) as alive:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
        done = subprocess.run([sys.executable, "-m", "mining_report.pipeline.launcher"],
                              cwd=tmp_path, env=env, capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 1
        assert done.stderr.strip().startswith(f"Another Snakemake run (pid {alive.pid})")
        assert (tmp_path / ".snakemake/locks/0.input.lock").exists()


def test_a_run_after_kill_9_recovers_and_rebuilds(
    built_copy: Path, built_env: dict[str, str]
) -> None:
    import signal

    project = built_copy
    before = {n: (project / f"reports/crackdown.{n}").read_bytes() for n in ("html", "pdf")}
    run = start_rendering(project, built_env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    time.sleep(0.3)
    import os

    finished = run.poll() is not None  # a fast machine may have finished already
    if not finished:
        os.killpg(run.pid, signal.SIGKILL)  # the run and its jobs, no chance to clean up
        run.wait()
        # Killed before publishing: the last good report is untouched.
        assert {n: (project / f"reports/crackdown.{n}").read_bytes() for n in before} == before
    # The next run: recovery, then Snakemake with --rerun-incomplete, as `make report` does.
    env = dict(built_env)
    done = subprocess.run([sys.executable, "-m", "mining_report.pipeline.recovery"], cwd=project,
                          env=env, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = subprocess.run([*run.args, "--rerun-incomplete"], cwd=project, env=built_env,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Published reports/crackdown.html" in done.stderr
    assert not list(project.rglob("*.part"))
    assert not list((project / "reports").glob(".*.typ"))
