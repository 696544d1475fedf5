"""`make report`'s launcher on a built project: a short display, and a run that ends on
one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def launch(project: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "mining_report.pipeline.launcher", "--cores", "2", *args]
    env = dict(env)
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def test_a_built_project_says_where_the_report_is(
    built_copy: Path, built_env: dict[str, str]
) -> None:
    done = launch(built_copy, "--config", "render_engine=pandoc", env=built_env)
    assert done.returncode == 0, done.stderr[-2000:]
    tail = done.stdout.strip().splitlines()[-5:]
    for name in ("crackdown.html", "crackdown.pdf"):
        size = (built_copy / "reports" / name).stat().st_size
        line = next(line for line in tail if f"reports/{name}" in line)
        assert f"{size / 1024:,.1f} KiB" in line or f"{size / 1024 / 1024:,.1f} MiB" in line
    # The rich display, not a paragraph per job: no "Reason:" walls.
    assert "Reason:" not in done.stdout


def test_a_failed_run_ends_on_one_line_naming_file_and_log(
    built_copy: Path, built_env: dict[str, str]
) -> None:
    project, env = built_copy, built_env
    events = project / "data/raw/press/events.csv"
    events.write_bytes(events.read_bytes().replace(b"E01", b"E1X", 1))
    done = launch(project, "--config", "render_engine=pandoc", env=env)
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("FAILED at validate_raw_table: data/raw/press/events.csv: sha256")
    assert last.endswith("(see logs/validate/events.log)")

    done = launch(project, "--config", "render_engine=bogus", env=env)
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("FAILED before any step ran: config key render_engine: ")
    assert "'bogus' is not one of" in last


def test_a_publish_that_cannot_write_says_so_and_leaves_no_part_file(
    built_copy: Path, built_env: dict[str, str]
) -> None:
    """Every step succeeds, then the publish cannot write the page (a full disk, here a
    file-size limit below the page's size): the line names the publish step, and the
    published pair and the folder are as they were."""
    import resource

    project = built_copy
    html = project / "reports/crackdown.html"
    html.write_bytes(html.read_bytes().replace(b"</body>", b"<!-- edited --></body>", 1))
    before = {p: p.read_bytes() for p in (html, project / "reports/crackdown.pdf")}
    limit = html.stat().st_size // 2

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = [sys.executable, "-m", "mining_report.pipeline.launcher", "--cores", "2",
               "--config", "render_engine=pandoc"]  # fmt: skip
    env = dict(built_env)
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                          preexec_fn=small_files)  # fmt: skip
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("FAILED at publish, after every step had succeeded: "), last
    assert "File too large" in last and last.endswith("the published pair is as it was")
    assert {p: p.read_bytes() for p in before} == before
    assert not list(project.rglob("*.part"))
