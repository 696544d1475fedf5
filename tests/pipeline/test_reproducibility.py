"""Two clean builds give the same bytes, and the manifest says which bytes."""

from __future__ import annotations

import json
from pathlib import Path


def test_two_clean_builds_are_byte_identical(built_project: Path, second_build: Path) -> None:
    # Two fresh copies, each built by its own cold `snakemake` run (see conftest.py).
    second = second_build
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
