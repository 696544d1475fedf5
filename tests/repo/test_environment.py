"""The pip lock, environment.yml and the rules' conda environment list the same packages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from mining_report.report.render import QUARTO_VERSION

from conftest import ROOT, require, uv_path


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines: list[str]) -> dict[str, str]:
    """name -> version of every `name==version` requirement (hash lines are skipped)."""
    found = {}
    for line in lines:
        line = line.split("#", 1)[0].strip().rstrip("\\").strip()
        if line and "==" in line and not line.startswith("--"):
            name, version = line.split("==", 1)
            found[normalize(name)] = version.strip()
    return found


def lock() -> dict[str, str]:
    return pins((ROOT / "requirements.lock").read_text().splitlines())


def direct() -> set[str]:
    lines = (ROOT / "requirements.in").read_text().splitlines()
    return {normalize(line.strip()) for line in lines if line.strip() and not line.startswith("#")}


def conda_pip_pins(path: Path) -> dict[str, str]:
    spec = yaml.safe_load(path.read_text())
    pip_section = next(d["pip"] for d in spec["dependencies"] if isinstance(d, dict))
    return pins(pip_section)


def conda_packages(path: Path) -> set[str]:
    spec = yaml.safe_load(path.read_text())
    return {re.split(r"[=<>]", d)[0] for d in spec["dependencies"] if isinstance(d, str)}


def test_every_direct_dependency_is_pinned_in_the_lock() -> None:
    assert direct() <= set(lock())


def test_lock_pins_everything_exactly() -> None:
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith(("#", " ")):
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[^\s]+ \\", line), line


def test_environment_yml_lists_the_locked_packages_at_locked_versions() -> None:
    env = conda_pip_pins(ROOT / "environment.yml")
    assert set(env) == direct()
    locked = lock()
    assert {name: locked[name] for name in env} == env
    assert {"python", "pip", "quarto"} <= conda_packages(ROOT / "environment.yml")
    # The Quarto the render tests run (.ci/run) and the report workflow publishes with.
    spec = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert f"quarto={QUARTO_VERSION}" in spec["dependencies"]


def test_rule_environment_matches_environment_yml() -> None:
    rule_env = ROOT / "workflow" / "envs" / "pipeline.yaml"
    assert conda_pip_pins(rule_env) == conda_pip_pins(ROOT / "environment.yml")
    assert conda_packages(rule_env) == conda_packages(ROOT / "environment.yml")


# --- the hashed lock and its install ----------------------------------------------------


def requirement_blocks(path: Path) -> dict[str, str]:
    """Each pinned requirement of a hashed lock with its continuation lines."""
    blocks: dict[str, str] = {}
    current = None
    for line in path.read_text().splitlines():
        if re.match(r"^[A-Za-z0-9]", line):
            current = normalize(line.split("==")[0])
            blocks[current] = line
        elif current and line.startswith("    --hash"):
            blocks[current] += "\n" + line
    return blocks


def test_every_locked_file_carries_a_sha256() -> None:
    for lock_file in ("requirements.lock", "requirements-tools.lock"):
        blocks = requirement_blocks(ROOT / lock_file)
        assert blocks, lock_file
        for name, block in blocks.items():
            hashes = re.findall(r"--hash=sha256:([0-9a-f]+)", block)
            assert hashes, f"{lock_file}: {name} has no hash"
            assert all(len(h) == 64 for h in hashes), name


def test_make_installs_with_hash_checking() -> None:
    # Recipes as make runs them: continued lines joined.
    makefile = re.sub(r"\\\n\s*", "", (ROOT / "Makefile").read_text())
    assert "--require-hashes requirements.lock" in makefile
    assert "--require-hashes -r requirements-tools.lock" in makefile


def install_with_make(tmp_path: Path, lock_text: str) -> subprocess.CompletedProcess:
    """Run the Makefile's install step on ``lock_text`` in a scratch folder."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "requirements.lock").write_text(lock_text)
    found = uv_path()
    require(found, "uv, which `make` bootstraps into .tools/")
    env = {**os.environ, "UV_CACHE_DIR": str(tmp_path / "uv-cache")}
    return subprocess.run(
        ["make", "--no-print-directory", f"UV={found}", ".venv/.installed-from-lock"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def flip_last_digit(digest: str) -> str:
    return digest[:-1] + ("0" if digest[-1] != "0" else "1")


def test_a_lock_whose_hash_was_altered_does_not_install(tmp_path: Path) -> None:
    """The file the registry serves must match the lock; one changed digit stops it."""
    block = requirement_blocks(ROOT / "requirements.lock")["tabulate"]
    (tmp_path / "good").mkdir()
    good = install_with_make(tmp_path / "good", block + "\n")
    assert good.returncode == 0, good.stderr[-2000:]
    assert (tmp_path / "good/.venv/.installed-from-lock").exists()

    tampered = re.sub(
        r"sha256:([0-9a-f]{64})", lambda m: "sha256:" + flip_last_digit(m.group(1)), block
    )
    assert tampered != block
    (tmp_path / "bad").mkdir()
    bad = install_with_make(tmp_path / "bad", tampered + "\n")
    assert bad.returncode != 0
    assert "hash mismatch" in bad.stderr.lower(), bad.stderr[-2000:]
    assert "ERROR: installing requirements.lock failed" in bad.stderr
    # Nothing half-installed stays behind to be taken for a good environment.
    assert not (tmp_path / "bad/.venv").exists()


# --- the project, installed -------------------------------------------------------------

#: What would put the package on the path by hand instead of installing it.
PATH_EDIT = re.compile(
    r"sys\.path\.(?:insert|append|extend)|sys\.path\s*\+?=|PYTHONPATH\s*=|"
    r"[\"']PYTHONPATH[\"']\s*[:\]]|^\s*pythonpath\s*=",
    re.MULTILINE,
)


def test_nothing_puts_the_package_on_the_path_by_hand() -> None:
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode != 0:  # an exported tree, no git: every file but the generated
        files = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file()]
        files = [f for f in files if not f.startswith((".venv/", ".tools/", ".quarto-cli/"))]
    else:
        files = tracked.stdout.split("\0")
    this = Path(__file__).relative_to(ROOT).as_posix()
    found = []
    for name in (f for f in files if f and f != this):
        path = ROOT / name
        if path.suffix in {".py", ".smk", ".toml", ".yml", ".yaml", ".sh", ".cfg", ""} and (
            path.is_file()
        ):
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{name}: {m.group(0)}" for m in PATH_EDIT.finditer(text)]
    assert found == []


def test_the_package_and_the_logger_plugin_are_found_because_they_are_installed(
    tmp_path: Path,
) -> None:
    # -I: no PYTHONPATH, no user site, not the current folder; run from elsewhere.
    script = (
        "import json, mining_report, snakemake_logger_plugin_brief\n"
        "from importlib.metadata import distribution\n"
        "from snakemake_interface_logger_plugins.registry import LoggerPluginRegistry\n"
        "url = json.loads(distribution('mining-report').read_text('direct_url.json'))\n"
        "print(json.dumps([mining_report.__file__, snakemake_logger_plugin_brief.__file__,\n"
        "    url, LoggerPluginRegistry().is_installed('brief')]))\n"
    )
    done = subprocess.run([sys.executable, "-I", "-c", script], cwd=tmp_path, env={},
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    package, plugin, url, registered = json.loads(done.stdout)
    assert Path(package) == ROOT / "src/mining_report/__init__.py"
    assert Path(plugin) == ROOT / "src/snakemake_logger_plugin_brief/__init__.py"
    # Editable: an edit to src/ is what runs, with no reinstall.
    assert url["dir_info"] == {"editable": True}
    assert url["url"] == ROOT.as_uri()
    assert registered


def test_make_installs_the_project_editable(tmp_path: Path) -> None:
    """`make` on a checkout: the locked packages, then the project itself, editable."""
    found = uv_path()
    require(found, "uv, which `make` bootstraps into .tools/")
    for name in ("Makefile", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    # The build backend alone: the project is installed without its dependencies.
    lock = requirement_blocks(ROOT / "requirements.lock")["setuptools"]
    (tmp_path / "requirements.lock").write_text(lock + "\n")
    make = ["make", "--no-print-directory", f"UV={found}", ".venv/.installed-project"]
    done = subprocess.run(make, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    python = tmp_path / ".venv/bin/python"
    where = subprocess.run(
        [python, "-I", "-c", "import mining_report.registry as r; print(r.__file__)"],
        cwd="/", env={}, capture_output=True, text=True,
    )  # fmt: skip
    assert where.returncode == 0, where.stderr[-2000:]
    assert Path(where.stdout.strip()) == tmp_path / "src/mining_report/registry.py"
    # A module added later is found with no reinstall; a changed pyproject.toml reinstalls.
    (tmp_path / "src/mining_report/added.py").write_text("WHERE = 'added'\n")
    added = subprocess.run([python, "-I", "-c", "import mining_report.added as a; print(a.WHERE)"],
                           cwd="/", env={}, capture_output=True, text=True)  # fmt: skip
    assert added.stdout.strip() == "added", added.stderr[-2000:]
    again = subprocess.run([*make, "-n"], cwd=tmp_path, capture_output=True, text=True)
    assert "pip install" not in again.stdout
    os.utime(tmp_path / "pyproject.toml")
    again = subprocess.run([*make, "-n"], cwd=tmp_path, capture_output=True, text=True)
    assert "pip install" in again.stdout and "-e ." in again.stdout


def test_conda_environments_install_the_project_itself() -> None:
    """environment.yml and the rules' conda environment install the project editable,
    by a path relative to the file (conda runs pip from the file's folder)."""
    for path in (ROOT / "environment.yml", ROOT / "workflow/envs/pipeline.yaml"):
        spec = yaml.safe_load(path.read_text())
        pip_section = next(d["pip"] for d in spec["dependencies"] if isinstance(d, dict))
        editable = [line.split(None, 1)[1] for line in pip_section if line.startswith("-e ")]
        assert len(editable) == 1, path
        assert (path.parent / editable[0]).resolve() == ROOT, path


def test_the_declared_dependencies_are_locked() -> None:
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {normalize(re.split(r"[<>=!~;\[ ]", d, maxsplit=1)[0]) for d in declared}
    assert names and names <= direct()
