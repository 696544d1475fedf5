"""Shared fixtures: a built copy of the project, and tools the tests need.

The tests come in layers, one folder each (see "Tests" in the README):

- ``tests/unit/``: the package's functions on small inputs, in this process: no build,
  no subprocess;
- ``tests/data/``: the committed data, sidecars, config and files around them, checked
  as they are: fast, no build;
- ``tests/pipeline/``: anything that runs Snakemake, a renderer or a browser, or reads
  what a build wrote. One build is shared by the session (``built_project``); a test
  that changes a project changes its own copy of it (``built_copy``);
- ``tests/cluster/``: the pipeline on a throw-away SLURM cluster (``make test-cluster``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

from mining_report.raw.provenance import Sidecar, sidecar_path

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Property tests: enough examples to find the edge cases of small frames, few enough to
# keep the unit layer quick; `pytest --hypothesis-profile=thorough` searches longer. No
# deadline: on a busy machine a slow example is not a failure.
settings.register_profile("suite", max_examples=30, deadline=None)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile("suite")

#: The folders the tests are layered in; a test's layer is the first folder under tests/.
LAYERS = ("unit", "data", "repo", "pipeline", "cluster")
#: Fixtures that build, render or browse: the pipeline layer's alone.
PIPELINE_FIXTURES = {
    "built_project", "built_copy", "second_build", "built_env", "site", "site_of",
    "quarto_project", "browser",
}  # fmt: skip

#: What the pipeline writes, or caches; never copied into a test's project copy.
GENERATED = {
    ".git",
    ".venv",
    ".lock-venv",
    ".tools",
    ".quarto-cli",
    ".quarto",
    ".snakemake",
    ".checkout.lock",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "__pycache__",
    "logs",
    "interim",
    "_build",
    "figures",
}
GENERATED_SUFFIXES = (".html", ".pdf", ".parquet", ".part")


def sidecar(**fields: Any) -> Sidecar:
    """A sidecar record for a unit test: the required fields made up, ``fields`` set."""
    made_up = {
        "title": "A source",
        "producer": "A producer",
        "url": "https://example.org/",
        "accessed": dt.date(2026, 1, 1),
        "licence": "as stated",
        "sha256": "0" * 64,
    }
    return Sidecar(**(made_up | fields))


def require(tool: str | None, why: str) -> None:
    """Skip locally when a tool is missing, saying why; in CI a missing tool fails."""
    if tool:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {why}")
    pytest.skip(f"not installed here: {why}")


def chromium_path() -> str | None:
    """Debian's chromium; CHROMIUM names another build (the report workflow's Chrome)."""
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


def _ignore(directory: str, names: list[str]) -> set[str]:
    here = Path(directory)
    skipped = {n for n in names if n in GENERATED}
    # Typst sources the renderer leaves while it runs are hidden (.crackdown.*.typ).
    skipped |= {n for n in names if n.startswith(".") and n.endswith((".typ", ".part"))}
    if here.name == "reports":
        skipped |= {n for n in names if n == "data"}  # chart data and tables published here
    if here.name in {"processed", "reports"}:
        skipped |= {n for n in names if n.endswith(GENERATED_SUFFIXES) or n == "_variables.yml"}
        skipped |= {n for n in names if n.endswith(".csv") or n == "validation"}
    return skipped


def copy_project(target: Path) -> Path:
    """Copy the project's sources and raw data, none of its outputs, to ``target``."""
    shutil.copytree(ROOT, target, ignore=_ignore)
    return target


def isolated_env(home: Path) -> dict[str, str]:
    """Environment for child processes: HOME and XDG folders under ``home``."""
    env = dict(os.environ)
    for name in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        folder = home / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env.pop("PYTHONPATH", None)
    return env


def snakemake(
    project: Path, *args: str, env: dict[str, str], python: str = sys.executable
) -> subprocess.CompletedProcess:
    """Run Snakemake (from ``python``'s environment, this one's unless named) inside
    ``project``."""
    command = [python, "-m", "snakemake", "--force-use-threads", "--cores", "2", *args]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def uv_path() -> str | None:
    """The uv `make` installs with: its own (.tools/), else one on PATH."""
    local = ROOT / ".tools" / "bin" / "uv"
    return str(local) if local.exists() else shutil.which("uv")


def install_own_code(project: Path) -> str:
    """Give a copy of the project an environment of its own, as `make` gives a checkout:
    the locked packages (linked from uv's cache, in about a second) and the copy itself
    installed editable. The package is found only where it is installed, so a test that
    changes a copy's code runs it with the Python this returns."""
    found = uv_path()
    require(found, "uv, which `make` bootstraps into .tools/, to install a copy's own code")
    venv, python = project / ".venv", project / ".venv/bin/python"
    steps = (
        ["venv", "--quiet", "--python", sys.executable, str(venv)],
        ["pip", "sync", "--quiet", "--python", str(python), "--require-hashes",
         str(project / "requirements.lock")],
        ["pip", "install", "--quiet", "--python", str(python), "--no-deps",
         "--no-build-isolation", "-e", str(project)],
    )  # fmt: skip
    for step in steps:
        done = subprocess.run([found, *step], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
    return str(python)


def digest(path: Path) -> str:
    """The sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def resign(csv: Path) -> None:
    """Write the CSV's present sha256 into its sidecar's checksum line, the rest of the
    sidecar as it is (a test's own edit, valid or not: ``make resign`` validates)."""
    meta = sidecar_path(csv)
    digest = hashlib.sha256(csv.read_bytes()).hexdigest()
    signed, found = re.subn(r"(?m)^sha256: .*$", f"sha256: {digest}", meta.read_text("utf-8"))
    assert found == 1, f"{meta}: no sha256 line to re-sign"
    meta.write_text(signed, encoding="utf-8")


def start_rendering(project: Path, env: dict[str, str], **popen: Any) -> subprocess.Popen:
    """Start a `snakemake` run on a new edition of the report (a sentence added, so that
    the render job, and only it, runs again); return it once the render has begun."""
    qmd = project / "reports/index.qmd"
    qmd.write_text(qmd.read_text() + "\nEdited.\n")
    (project / "logs/report/render.log").unlink(missing_ok=True)
    command = [sys.executable, "-m", "snakemake", "--force-use-threads", "--cores", "2", "--config",
               "render_engine=pandoc"]  # fmt: skip
    run = subprocess.Popen(command, cwd=project, env=env, **popen)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        if (project / "logs/report/render.log").exists():
            break
        time.sleep(0.05)
    return run


def layer_of(path: Path) -> str | None:
    parts = path.relative_to(ROOT / "tests").parts
    return parts[0] if len(parts) > 1 and parts[0] in LAYERS else None


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its layer's marker; refuse a build in the fast layers."""
    for item in items:
        layer = layer_of(item.path)
        if layer == "pipeline":
            item.add_marker(pytest.mark.pipeline)
        elif layer in ("unit", "data", "repo"):
            used = PIPELINE_FIXTURES & set(getattr(item, "fixturenames", ()))
            if used:
                raise pytest.UsageError(
                    f"{item.nodeid} uses {sorted(used)}: move it to tests/pipeline/"
                )


@pytest.fixture(autouse=True)
def _no_subprocess_in_unit_tests(request: pytest.FixtureRequest, monkeypatch) -> None:
    """A unit test calls functions; one that starts a program belongs to another layer."""
    if layer_of(request.node.path) == "unit":

        def refuse(*args, **kwargs):
            raise AssertionError(f"a unit test started a subprocess: {args[:1]}")

        monkeypatch.setattr(subprocess, "Popen", refuse)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--site",
        type=Path,
        help="check this published site (index.html, the PDF and data/, as the report "
        "workflow lays it out) instead of a site laid out from a pandoc build",
    )
    parser.addoption(
        "--render-engine",
        default="pandoc",
        choices=["pandoc", "quarto"],
        help="the engine of the builds the tests make (default: pandoc)",
    )


@pytest.fixture(scope="session")
def render_engine(request: pytest.FixtureRequest) -> str:
    return request.config.getoption("--render-engine")


#: subprocess.Popen as the session found it (unit tests replace it with a refusal).
_POPEN = subprocess.Popen


def shared_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder all of this run's test processes share: with pytest-xdist each worker
    has a base temporary folder of its own, inside the run's."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


class ColdBuild:
    """A fresh copy of the project (sources and raw data only), built by a `snakemake` run
    in the background: started early (or once the build ``after`` it has ended), waited
    for when a test first needs it.

    The build lives in a folder every worker of the run shares: the first worker to
    claim it starts the run, and every worker waits for the exit status the run leaves
    in ``returncode``, so a run with workers still builds the project once."""

    def __init__(
        self,
        base: Path,
        render_engine: str,
        after: ColdBuild | None = None,
        *,
        rerender: bool = False,
    ) -> None:
        """``rerender``: copy the built project of ``after`` and render it again with
        ``render_engine`` (only the render and what follows it run), instead of
        building the project's sources from nothing."""
        self.base, self.render_engine, self.after = base, render_engine, after
        self.rerender = rerender
        self.project = base / "project"
        self.returncode = base / "returncode"
        self.process: subprocess.Popen | None = None  # in the worker that started it

    def claimed(self) -> bool:
        return (self.base / "claimed").exists()

    def ended(self) -> bool:
        return self.returncode.exists()

    def start_when_ready(self) -> None:
        if not self.claimed() and (self.after is None or self.after.ended()):
            self.start()

    def start(self) -> None:
        self.base.mkdir(parents=True, exist_ok=True)
        try:
            os.close(os.open(self.base / "claimed", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return  # another worker started it
        if self.rerender:
            assert self.after is not None and self.after.ended()
            shutil.copytree(self.after.project, self.project, symlinks=True)
        else:
            copy_project(self.project)
        command = [sys.executable, "-m", "snakemake", "--force-use-threads", "--cores", "2",
                   "--config", f"render_engine={self.render_engine}"]  # fmt: skip
        # The exit status is written by the shell that ran the build, whichever worker
        # is waiting; written whole (a rename), so a reader never sees half of it.
        record = 'out=$1; shift; "$@"; echo $? > "$out.part" && mv "$out.part" "$out"'
        with (
            (self.base / "stdout.log").open("w") as out,
            (self.base / "stderr.log").open("w") as err,
        ):
            # The real Popen, taken before any unit test replaces it: a build may start
            # while a unit test runs (when the one before it ends).
            self.process = _POPEN(
                ["sh", "-c", record, "sh", str(self.returncode), *command], cwd=self.project,
                env=isolated_env(self.base / "home"), stdout=out, stderr=err,
            )  # fmt: skip

    def wait(self) -> Path:
        """The built project, once the run has ended well."""
        if not self.claimed():
            if self.after is not None:
                self.after.start_when_ready()
                self.after.wait_until_ended()
            self.start()
        self.wait_until_ended()
        status = self.returncode.read_text().strip()
        assert status == "0", (self.base / "stderr.log").read_text()[-4000:]
        return self.project

    def wait_until_ended(self) -> None:
        while not self.ended():
            if self.process is not None and self.process.poll() is not None:
                if not self.ended():  # the shell itself was stopped
                    self.returncode.write_text(f"{self.process.returncode}\n")
                break
            time.sleep(0.1)

    def stop(self) -> None:
        """At the end of the session: a worker waits for the build it started, which
        another worker may still be reading (an interrupted run stops it with Ctrl-C)."""
        if self.process is not None:
            self.wait_until_ended()


@pytest.fixture(scope="session", autouse=True)
def cold_builds(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, render_engine: str
) -> Iterator[dict[str, ColdBuild]]:
    """The session's cold builds, each only if a selected test needs it: the shared built
    project, started before the first test so that it runs while the unit and data tests
    do (they use one core), and a second, independent one for the reproducibility test,
    started as soon as the first has ended."""
    used = {name for item in request.session.items for name in item.fixturenames}
    engines = {
        item.callspec.params.get("engine")
        for item in request.session.items
        if hasattr(item, "callspec")
    }
    if request.config.getoption("--site") is None:
        if "engine" in used or "site_of" in used:
            used.add("built_project")
        if "quarto" in engines or "site_of" in used or "quarto_project" in used:
            used.add("quarto_project")
    shared = shared_temp(tmp_path_factory) / "cold-builds"
    builds: dict[str, ColdBuild] = {}
    if used & {"built_project", "built_copy", "second_build", "quarto_project"}:
        builds["built_project"] = ColdBuild(shared / "built", render_engine)
    if "second_build" in used:
        builds["second_build"] = ColdBuild(
            shared / "second-build", render_engine, after=builds["built_project"]
        )
    if "quarto_project" in used and shutil.which("quarto"):
        builds["quarto_project"] = ColdBuild(
            shared / "quarto-render", "quarto", after=builds["built_project"], rerender=True
        )
    for build in builds.values():
        build.start_when_ready()
    yield builds
    for build in builds.values():
        build.stop()


@pytest.fixture(autouse=True)
def _start_cold_builds_when_ready(cold_builds: dict[str, ColdBuild]) -> None:
    for build in cold_builds.values():
        build.start_when_ready()


@pytest.fixture(scope="session")
def built_project(
    cold_builds: dict[str, ColdBuild], tmp_path_factory: pytest.TempPathFactory, render_engine: str
) -> Path:
    """A copy of the project after one full `snakemake` run (pandoc engine by default),
    shared by the session: read it, or take a ``built_copy`` to change."""
    if "built_project" not in cold_builds:  # asked for by a test that did not name it
        shared = shared_temp(tmp_path_factory) / "cold-builds"
        cold_builds["built_project"] = ColdBuild(shared / "built", render_engine)
    return cold_builds["built_project"].wait()


@pytest.fixture(scope="session")
def second_build(cold_builds: dict[str, ColdBuild]) -> Path:
    """A second clean build of the project, independent of ``built_project``."""
    return cold_builds["second_build"].wait()


#: The engines whose renders the acceptance tests check (see ``site``).
ENGINES = ("pandoc", "quarto")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test of what a render published runs on each engine's render (it asks for
    ``engine``, itself or through ``site``): the pandoc fallback's and Quarto's; with
    --site, on the site given (of --render-engine) alone."""
    if "engine" in metafunc.fixturenames:
        given = metafunc.config.getoption("--site") is not None
        engines = [metafunc.config.getoption("--render-engine")] if given else list(ENGINES)
        metafunc.parametrize("engine", engines, scope="session")


def quarto_path() -> str | None:
    """The quarto on PATH (.ci/run puts Quarto 1.7.34 there)."""
    return shutil.which("quarto")


@pytest.fixture(scope="session")
def quarto_project(cold_builds: dict[str, ColdBuild]) -> Path:
    """The shared built project rendered again by the real Quarto: the same numbers,
    charts and tables as ``built_project``, the report rendered by Quarto."""
    require(quarto_path(), "Quarto 1.7.34 on PATH (.ci/run installs it), for its render")
    return cold_builds["quarto_project"].wait()


@pytest.fixture(scope="session")
def site_of(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Path]:
    """The published site of an engine's render, laid out exactly as the report
    workflow lays out GitHub Pages (index.html, the PDF and data/ beside it)."""
    from mining_report.report.site import lay_out_site

    sites: dict[str, Path] = {}

    def site_of_engine(engine: str) -> Path:
        if engine not in sites:
            project = request.getfixturevalue(
                "quarto_project" if engine == "quarto" else "built_project"
            )
            folder = tmp_path_factory.mktemp(f"site-{engine}") / "_site"
            sites[engine] = lay_out_site(project / "reports", folder)
        return sites[engine]

    return site_of_engine


@pytest.fixture(scope="session")
def site(request: pytest.FixtureRequest, engine: str, site_of: Callable[[str], Path]) -> Path:
    """The published site the acceptance tests check, once per engine (the pandoc
    render and the Quarto one), or the one given with --site (the report workflow's)."""
    given = request.config.getoption("--site")
    if given is not None:
        assert (given / "index.html").is_file(), f"{given} holds no index.html"
        return given.resolve()
    return site_of(engine)


@pytest.fixture
def built_copy(built_project: Path, tmp_path: Path) -> Path:
    """This test's own copy of the built project (timestamps kept: a no-op run stays a
    no-op), to change and run again; the shared ``built_project`` is never changed."""
    return shutil.copytree(built_project, tmp_path / "project", symlinks=True)


@pytest.fixture(scope="session")
def built_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return isolated_env(tmp_path_factory.mktemp("home"))


#: Headless Chromium on a closed network: no background requests, a fresh profile.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory):
    executable = chromium_path()
    require(executable, "Debian chromium, for the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            offline=True,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


# The HTML report in the browser ------------------------------------------------


#: A {{< var name >}} shortcode of the document, in either spelling: spaced in the
#: front matter, compact ({{<var name >}}) in the body.
VAR_SHORTCODE = re.compile(r"\{\{<\s*var\s+([\w-]+)\s*>\}\}")


def quoted_variables() -> list[str]:
    """The name of every number the document quotes, in the order of the text."""
    return VAR_SHORTCODE.findall((ROOT / "reports/index.qmd").read_text(encoding="utf-8"))


def chart_ids() -> list[str]:
    qmd = (ROOT / "reports/index.qmd").read_text()
    return re.findall(r"::: \{#(fig-[\w-]+) \.chart", qmd)


def open_report(browser, html: Path, width: int = 1280):
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(html.as_uri())
    page.wait_for_function(
        "n => document.querySelectorAll('.vega-chart svg').length >= n",
        arg=len(chart_ids()),
        timeout=20000,
    )
    return page, requests, errors


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on a page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# Shared by more than one layer -------------------------------------------------------


def rule_blocks() -> dict[str, str]:
    """Rule name -> the text of its block, for every rule in workflow/rules/."""
    text = "\n".join(f.read_text() for f in sorted((ROOT / "workflow/rules").glob("*.smk")))
    parts = re.split(r"^rule (\w+):\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


#: The throw-away SLURM cluster's helper, and the profiles a cluster run is planned
#: with: the cluster profile, the layer for a cluster without job accounting, and the
#: test cluster's own layer (tests/cluster/profile).
SLURM_HELPER = ROOT / "tests" / "cluster" / "throwaway-slurm.sh"
CLUSTER_PROFILES = [
    "--profile", "workflow/profiles/slurm",
    "--profile", "workflow/profiles/slurm-noaccounting",
    "--profile", "tests/cluster/profile",
]  # fmt: skip


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


def config_with(keys: str, value: object) -> dict:
    """The committed config with one value, at a dotted key, replaced."""
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))
    *path, last = keys.split(".")
    node = config
    for key in path:
        node = node[key]
    node[last] = value
    return config


@pytest.fixture
def config_and_raw(tmp_path: Path) -> Iterator[Path]:
    """A copy of config/ and data/raw/, as the working directory (a refresh's world)."""
    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    previous = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(previous)
