"""Shared fixtures: a built copy of the project, and tools the tests need."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

#: What the pipeline writes, or caches; never copied into a test's project copy.
GENERATED = {
    ".git",
    ".venv",
    ".lock-venv",
    ".tools",
    ".snakemake",
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


def require(tool: str | None, why: str) -> None:
    """Skip locally when a tool is missing, saying why; in CI a missing tool fails."""
    if tool:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {why}")
    pytest.skip(f"not installed here: {why}")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


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


def snakemake(project: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run Snakemake (from this interpreter's environment) inside ``project``."""
    command = [sys.executable, "-m", "snakemake", "--cores", "2", *args]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project after one full `snakemake` run with the pandoc engine."""
    base = tmp_path_factory.mktemp("built")
    project = copy_project(base / "project")
    env = isolated_env(base / "home")
    done = snakemake(project, "--config", "render_engine=pandoc", env=env)
    assert done.returncode == 0, done.stderr[-4000:]
    return project


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
