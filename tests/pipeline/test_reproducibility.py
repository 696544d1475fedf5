"""Two clean builds give the same bytes, and the manifest says which bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import copy_project, isolated_env, snakemake


def test_two_clean_builds_are_byte_identical(
    built_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    base = tmp_path_factory.mktemp("second-build")
    second = copy_project(base / "project")
    done = snakemake(second, "--config", "render_engine=pandoc", env=isolated_env(base / "home"))
    assert done.returncode == 0, done.stderr[-3000:]
    first_manifest = json.loads((built_project / "reports/manifest.json").read_text())
    second_manifest = json.loads((second / "reports/manifest.json").read_text())
    assert first_manifest["outputs"] == second_manifest["outputs"]
    assert first_manifest["raw_inputs"] == second_manifest["raw_inputs"]


def test_manifest_covers_inputs_outputs_and_tools(built_project: Path) -> None:
    record = json.loads((built_project / "reports/manifest.json").read_text())
    raw = {str(p.relative_to(built_project)) for p in (built_project / "data/raw").rglob("*.csv")}
    assert raw <= set(record["raw_inputs"])
    for output in ("reports/crackdown.html", "reports/crackdown.pdf",
                   "data/processed/datapackage.json"):  # fmt: skip
        assert output in record["outputs"]
    for tool in ("snakemake", "pandas", "pandera", "altair", "pandoc", "typst"):
        assert record["tools"][tool]
