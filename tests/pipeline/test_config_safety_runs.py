"""A config that cannot load safely, or holds values of the wrong shape, stops
`snakemake --dry-run` while it reads the Snakefile: one ``ERROR:`` line per problem
naming the key (or the file), no traceback, nothing run. The functions themselves are
tested case by case in tests/unit/test_config_safety.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, isolated_env, snakemake

TEXT = (ROOT / "config/config.yaml").read_text(encoding="utf-8")

#: Nine levels of nine aliases: 9**9 strings once expanded, which Snakemake's loader
#: and validation would do (taking minutes and all memory).
BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]\n"
    for before, name in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return isolated_env(tmp_path / "home")


def assert_refused(done: subprocess.CompletedProcess, expected: list[str]) -> None:
    """Exit 1 with exactly the ``expected`` ERROR lines, and no traceback or job."""
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
    assert errors == [f"ERROR: {line}" for line in expected], done.stderr
    for output in (done.stdout, done.stderr):
        assert "Traceback" not in output and "Error in file" not in output, output
    assert "Building DAG" not in done.stdout + done.stderr


def test_an_alias_bomb_is_refused_at_once(project: Path, env: dict[str, str]) -> None:
    (project / "config/config.yaml").write_text(BOMB + TEXT)
    # The helper `snakemake` has no deadline: a regression must fail, not hang the suite.
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "--force-use-threads",
        "--cores",
        "2",
        "--dry-run",
    ]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert_refused(done, [
        "config/config.yaml: a YAML anchor (&a) at line 1; aliases and anchors are refused "
        "(the file needs none, and expanding them can take all memory): write each value out"
    ])  # fmt: skip


def test_a_python_tag_is_refused_before_snakemake_would_run_it(
    project: Path, env: dict[str, str]
) -> None:
    config = project / "config/config.yaml"
    tagged = "render_engine: !!python/object/apply:os.system ['touch ran-from-config']"
    config.write_text(TEXT.replace("render_engine: auto", tagged, 1))
    done = snakemake(project, "--dry-run", env=env)
    assert_refused(done, [
        "config/config.yaml: a YAML tag (!!python/object/apply:os.system) at line 8; tags "
        "are refused (the file needs none, and Snakemake's loader runs Python tags)"
    ])  # fmt: skip
    assert not (project / "ran-from-config").exists()


def test_every_wrong_value_in_the_file_is_named(project: Path, env: dict[str, str]) -> None:
    text = TEXT.replace("  name: crackdown", "  name: 5", 1)
    text = text.replace("exposure_year: 2021", "exposure_year: -3", 1)
    text = text.replace('base_week: "2021-05-10"', "base_week: 2021-05-10", 1)
    (project / "config/config.yaml").write_text(text + "colour: red\n")
    done = snakemake(project, "--dry-run", env=env)
    assert_refused(done, [
        "config key report.name: 5 is not a string",
        "config key analysis.exposure_year: -3 is less than the minimum of 2019",
        'config key analysis.base_week: 2021-05-10 is a date to YAML, not a string; quote '
        'it: "2021-05-10"',
        "config key colour: not a known key (expected: render_engine, report, raw_tables, "
        "analysis)",
    ])  # fmt: skip


def test_wrong_overrides_on_the_command_line_are_named(project: Path, env: dict[str, str]) -> None:
    done = snakemake(project, "--dry-run", "--config", "render_engine=5", "report=1", env=env)
    assert_refused(done, [
        "config key render_engine: 5 is not a string",
        "config key report: 1 is not a mapping of keys to values",
    ])  # fmt: skip
