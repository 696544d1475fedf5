"""The SLURM profiles plan the report, the pre-commit hooks run, and every job logs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mining_report.registry import CHARTS, NUMBERS, TABLES

from conftest import (
    CLUSTER_PROFILES,
    ROOT,
    copy_project,
    isolated_env,
    require,
    rule_blocks,
    snakemake,
)

SLURM = ["--profile", "workflow/profiles/slurm"]
#: No rule declares `envmodules:`, so this deployment method deploys nothing: the
#: jobs run in the calling environment, and the plan needs no conda installed.
WITHOUT_CONDA = ["--software-deployment-method", "env-modules"]


@pytest.fixture(scope="module")
def fresh_copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("conventions")
    return copy_project(base / "project"), isolated_env(base / "home")


def job_stats(output: str) -> dict[str, int]:
    """The first "Job stats" table of a Snakemake run: rule -> number of jobs."""
    table = output.split("Job stats:", 1)[1].split("total", 1)[0]
    return {rule: int(n) for rule, n in re.findall(r"^(\w+)\s+(\d+)$", table, re.M)}


def test_slurm_profile_plans_the_whole_report(fresh_copy: tuple[Path, dict[str, str]]) -> None:
    project, env = fresh_copy
    done = snakemake(project, *SLURM, *WITHOUT_CONDA, "--dry-run", env=env)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Using profile workflow/profiles/slurm" in output
    stats = job_stats(output)
    # Every rule of workflow/rules/ is planned: each feeds the report.
    assert set(stats) == set(rule_blocks()) | {"all"}
    assert stats["render"] == 1  # HTML and PDF, one Quarto run
    # One validation per raw table: a derive rule reads each of them.
    raw_tables = yaml.safe_load((project / "config/config.yaml").read_text())["raw_tables"]
    assert stats["validate_raw_table"] == len(raw_tables)
    # The profile's default resources reach the jobs.
    assert "slurm_account=CHANGE_ME" in output
    assert "runtime=5" in output and "mem_mb=1000" in output
    assert not (project / "reports/crackdown.html").exists()  # a plan, nothing run


def test_slurm_profile_deploys_the_rules_conda_environment(
    fresh_copy: tuple[Path, dict[str, str]],
) -> None:
    project, env = fresh_copy
    # Hide any conda: the profile must then refuse to plan, naming conda.
    path = [d for d in env["PATH"].split(os.pathsep) if not (Path(d) / "conda").exists()]
    env = {**env, "PATH": os.pathsep.join(path)}
    assert shutil.which("conda", path=env["PATH"]) is None
    done = snakemake(project, *SLURM, "--dry-run", env=env)
    assert done.returncode != 0
    assert "conda" in done.stderr


def test_layered_slurm_profiles_plan_the_report(
    fresh_copy: tuple[Path, dict[str, str]],
) -> None:
    project, env = fresh_copy
    done = snakemake(project, *CLUSTER_PROFILES, "--dry-run", env=env)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Using profiles workflow/profiles/slurm and " in output
    assert job_stats(output)["render"] == 1


@pytest.fixture
def hooked_copy(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A git copy of the project whose .venv/bin is this interpreter's bin folder."""
    require(shutil.which("git"), "git, for the pre-commit hooks")
    project = copy_project(tmp_path / "project")
    env = isolated_env(tmp_path / "home")
    (project / ".venv").mkdir()
    (project / ".venv" / "bin").symlink_to(Path(sys.executable).parent, target_is_directory=True)
    subprocess.run(["git", "init", "-q"], cwd=project, env=env, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project, env=env, check=True)
    return project, env


def pre_commit(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def test_pre_commit_hooks_pass_on_the_project(hooked_copy: tuple[Path, dict[str, str]]) -> None:
    project, env = hooked_copy
    done = pre_commit(project, env)
    assert done.returncode == 0, done.stdout + done.stderr
    for hook in ("ruff check", "ruff format", "snakefmt"):
        assert re.search(rf"^{hook}\.+Passed$", done.stdout, re.M), done.stdout


def test_pre_commit_hooks_catch_lint_and_format_slips(
    hooked_copy: tuple[Path, dict[str, str]],
) -> None:
    project, env = hooked_copy
    (project / "src/mining_report/slip.py").write_text("import os\nx = {  'a':1 }\n")
    rules = project / "workflow/rules/charts.smk"
    rules.write_text(rules.read_text().replace("    input:\n", "    input :\n", 1))
    subprocess.run(["git", "add", "-A"], cwd=project, env=env, check=True)
    done = pre_commit(project, env)
    assert done.returncode != 0
    for hook in ("ruff check", "ruff format", "snakefmt"):
        assert re.search(rf"^{hook}\.+Failed$", done.stdout, re.M), done.stdout
    assert "F401" in done.stdout  # the unused import
    assert (project / "src/mining_report/slip.py").read_text() == 'import os\n\nx = {"a": 1}\n'


# Raw tables ------------------------------------------------------------------------


def test_every_job_announces_itself_and_writes_its_own_log(built_project: Path) -> None:
    raw_tables = yaml.safe_load((ROOT / "config/config.yaml").read_text())["raw_tables"]
    expected = []
    for rule, body in rule_blocks().items():
        assert re.search(r"^    message:\n", body, re.M), f"rule {rule} has no message"
        log = re.search(r'^    log:\n\s+"([^"]+)"', body, re.M)
        assert log, f"rule {rule} has no log"
        assert log.group(1).startswith("logs/"), log.group(1)
        if "{table}" in log.group(1):
            expected += [log.group(1).format(table=table) for table in raw_tables]
        elif "{cleaned}" in log.group(1):
            expected += [log.group(1).format(cleaned=table) for table in TABLES]
        elif "{chart}" in log.group(1):
            expected += [log.group(1).format(chart=chart) for chart in CHARTS]
        elif "{numbers}" in log.group(1):
            expected += [log.group(1).format(numbers=group) for group in NUMBERS]
        else:
            expected.append(log.group(1))
    assert len(expected) >= 8 and len(set(expected)) == len(expected)
    written = [str(p.relative_to(built_project)) for p in (built_project / "logs").rglob("*")]
    assert sorted(p for p in written if p.endswith(".log")) == sorted(expected)
    assert "with pandoc 3." in (built_project / "logs/report/render.log").read_text()
