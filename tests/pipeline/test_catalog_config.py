"""The catalog-style test configuration (.test/config/config.yaml) lints and runs.

As the Snakemake workflow catalog's CI does: `snakemake --lint` with the test config,
then the whole workflow with it, here in a copy of the project. The run renders with
the portable renderer and publishes under the test report's name, beside (never over)
the report.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT, copy_project

TEST_CONFIG = ".test/config/config.yaml"


def snakemake(project: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "snakemake", "--force-use-threads", "--cores", "2",
               "--configfile", TEST_CONFIG, *args]  # fmt: skip
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def test_the_test_config_lints_and_runs(tmp_path: Path, built_env: dict[str, str]) -> None:
    project = copy_project(tmp_path / "project")
    env = dict(built_env)
    name = yaml.safe_load((ROOT / TEST_CONFIG).read_text())["report"]["name"]
    linted = snakemake(project, "--lint", env=env)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    done = snakemake(project, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    for ext in ("html", "pdf"):
        assert (project / f"reports/{name}.{ext}").stat().st_size > 100_000
    assert not (project / "reports/crackdown.html").exists()
    manifest = json.loads((project / "reports/manifest.json").read_text())
    assert manifest["rendered_by"].startswith("pandoc")
    assert f"reports/{name}.html" in manifest["outputs"]
