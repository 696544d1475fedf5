"""The pip lock, environment.yml and the rules' conda environment list the same packages."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line and "==" in line:
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
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[^\s]+", line.strip()), line


def test_environment_yml_lists_the_locked_packages_at_locked_versions() -> None:
    env = conda_pip_pins(ROOT / "environment.yml")
    assert set(env) == direct()
    locked = lock()
    assert {name: locked[name] for name in env} == env
    assert {"python", "pip", "quarto"} <= conda_packages(ROOT / "environment.yml")


def test_rule_environment_matches_environment_yml() -> None:
    rule_env = ROOT / "workflow" / "envs" / "pipeline.yaml"
    assert conda_pip_pins(rule_env) == conda_pip_pins(ROOT / "environment.yml")
    assert conda_packages(rule_env) == conda_packages(ROOT / "environment.yml")
