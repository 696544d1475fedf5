"""After a killed run the next one recovers by itself, but never while a run is alive."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mining_report import recovery
from mining_report.manifest import manifest

from conftest import ROOT


def killed_run(project: Path) -> None:
    """What `kill -9` leaves: a lock, an incomplete marker and scratch files."""
    (project / ".snakemake/locks").mkdir(parents=True)
    (project / ".snakemake/locks/0.input.lock").write_text("data/raw/x.csv\n")
    (project / ".snakemake/incomplete").mkdir(parents=True)
    (project / "reports/_build").mkdir(parents=True)
    (project / "reports/.crackdown.abc.part").write_bytes(b"")
    (project / "reports/.crackdown.xyz.typ").write_text("#set")
    (project / "data/processed").mkdir(parents=True)
    (project / "data/processed/.shutdowns.parquet.1.part").write_bytes(b"PAR")
    (project / "config").mkdir()
    (project / "config/config.yaml").write_text("report:\n  name: crackdown\n")


def test_a_dead_run_is_cleaned_up(tmp_path: Path) -> None:
    killed_run(tmp_path)
    result = recovery.recover(tmp_path)
    assert result.running == []
    assert [p.name for p in result.locks_removed] == ["0.input.lock"]
    assert len(result.scratch_removed) == 3
    assert not list(tmp_path.rglob("*.part")) and not list(tmp_path.rglob(".*.typ"))
    assert "Recovered from an interrupted run" in result.summary()
    assert (tmp_path / ".snakemake/incomplete").is_dir()  # left to --rerun-incomplete


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


def test_publishing_cut_short_is_finished(tmp_path: Path) -> None:
    killed_run(tmp_path)
    build = tmp_path / "reports/_build"
    (build / "crackdown.html").write_bytes(b"<html>new</html>")
    (build / "crackdown.pdf").write_bytes(b"%PDF new")
    names = {str(build / f"crackdown.{e}"): f"reports/crackdown.{e}" for e in ("html", "pdf")}
    record = manifest([], [Path(p) for p in names], {}, names)
    (build / "manifest.json").write_text(json.dumps(record))
    # Killed between the two moves: the new HTML is out, the PDF is the old one.
    (tmp_path / "reports/crackdown.html").write_bytes(b"<html>new</html>")
    (tmp_path / "reports/crackdown.pdf").write_bytes(b"%PDF old")
    result = recovery.recover(tmp_path)
    assert result.republished
    assert (tmp_path / "reports/crackdown.pdf").read_bytes() == b"%PDF new"


def test_an_unfinished_build_is_not_published(tmp_path: Path) -> None:
    killed_run(tmp_path)
    (tmp_path / "reports/_build/crackdown.html").write_bytes(b"<html>half</html>")
    (tmp_path / "reports/crackdown.html").write_bytes(b"<html>good</html>")
    assert not recovery.recover(tmp_path).republished
    assert (tmp_path / "reports/crackdown.html").read_bytes() == b"<html>good</html>"


def test_the_command_line_says_one_line_and_exits_by_state(tmp_path: Path) -> None:
    killed_run(tmp_path)
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "mining_report.recovery"], cwd=tmp_path,
                          env=env, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Recovered")
    again = subprocess.run([sys.executable, "-m", "mining_report.recovery"], cwd=tmp_path,
                           env=env, capture_output=True, text=True)  # fmt: skip
    assert again.returncode == 0 and again.stderr == ""


def test_make_report_recovers_before_snakemake(tmp_path: Path) -> None:
    """The launcher `make report` runs clears a dead run, then runs Snakemake."""
    killed_run(tmp_path)
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "mining_report.launcher", "--dry-run"],
                          cwd=tmp_path, env=env, capture_output=True, text=True)  # fmt: skip
    assert done.stdout.startswith("Recovered from an interrupted run")
    assert not (tmp_path / ".snakemake/locks/0.input.lock").exists()
    # Snakemake did run after it (and failed: this folder has no Snakefile).
    assert "Snakefile" in done.stdout + done.stderr


def test_make_report_refuses_while_another_run_works_here(tmp_path: Path) -> None:
    killed_run(tmp_path)
    with stand_in_run(tmp_path) as alive:
        env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
        done = subprocess.run([sys.executable, "-m", "mining_report.launcher"],
                              cwd=tmp_path, env=env, capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 1
        assert done.stderr.strip().startswith(f"Another Snakemake run (pid {alive.pid})")
        assert (tmp_path / ".snakemake/locks/0.input.lock").exists()


@pytest.mark.pipeline
def test_a_run_after_kill_9_recovers_and_rebuilds(
    built_project: Path, built_env: dict[str, str], tmp_path: Path
) -> None:
    import shutil
    import signal

    project = tmp_path / "project"
    shutil.copytree(built_project, project, symlinks=True)
    before = {n: (project / f"reports/crackdown.{n}").read_bytes() for n in ("html", "pdf")}
    qmd = project / "reports/crackdown.qmd"
    qmd.write_text(qmd.read_text() + "\n<!-- edited -->\n")
    for old in (project / "logs/report").glob("render_*.log"):
        old.unlink()
    command = [sys.executable, "-m", "snakemake", "--cores", "2", "--config",
               "render_engine=pandoc"]  # fmt: skip
    run = subprocess.Popen(command, cwd=project, env=built_env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        if list((project / "logs/report").glob("render_*.log")):
            break
        time.sleep(0.05)
    time.sleep(0.3)
    import os

    finished = run.poll() is not None  # a fast machine may have finished already
    if not finished:
        os.killpg(run.pid, signal.SIGKILL)  # the run and its jobs, no chance to clean up
        run.wait()
        # Killed before publishing: the last good report is untouched.
        assert {n: (project / f"reports/crackdown.{n}").read_bytes() for n in before} == before
    # The next run: recovery, then Snakemake with --rerun-incomplete, as `make report` does.
    env = {**built_env, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "mining_report.recovery"], cwd=project,
                          env=env, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = subprocess.run([*command, "--rerun-incomplete"], cwd=project, env=built_env,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Published reports/crackdown.html" in done.stderr
    assert not list(project.rglob("*.part"))
    assert not list((project / "reports").glob(".*.typ"))
