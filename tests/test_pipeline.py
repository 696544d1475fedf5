"""The whole DAG, run by Snakemake in a temporary copy of the project."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from malformed import CASES, Case, break_snapshot, sidecar_of

from mining_report.catalog import PROCESSED_MODELS

from conftest import snakemake

pytestmark = pytest.mark.pipeline


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_report_and_tables_are_written(built_project: Path) -> None:
    for relative in (
        "reports/crackdown.html",
        "reports/crackdown.pdf",
        "reports/figures/china_share.vl.json",
        "reports/figures/china_share.svg",
        "reports/_variables.yml",
        "data/processed/hashrate_by_country.parquet",
        "data/processed/hashrate_by_country.csv",
    ):
        assert (built_project / relative).stat().st_size > 0, relative
    parquet = pd.read_parquet(built_project / "data/processed/hashrate_by_country.parquet")
    csv = pd.read_csv(
        built_project / "data/processed/hashrate_by_country.csv", parse_dates=["month"]
    )
    pd.testing.assert_frame_equal(parquet, csv, check_dtype=False)
    assert set(parquet["country"]) == {
        "China", "United States", "Kazakhstan", "Russia", "Canada",
        "Malaysia", "Iran", "Germany", "Ireland", "Other",
    }  # fmt: skip


def test_every_cleaned_table_loads_with_its_schema(built_project: Path) -> None:
    processed = built_project / "data/processed"
    package = json.loads((processed / "datapackage.json").read_text())
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert set(resources) == set(PROCESSED_MODELS)
    for table, model in PROCESSED_MODELS.items():
        parquet = pd.read_parquet(processed / f"{table}.parquet")
        model.validate(parquet)
        csv_path = processed / f"{table}.csv"
        csv = pd.read_csv(csv_path, keep_default_na=False, na_values=[""])
        assert list(csv.columns) == [f["name"] for f in resources[table]["schema"]["fields"]]
        assert len(csv) == len(parquet)
        key = resources[table]["schema"]["primaryKey"]
        assert not parquet.duplicated(key).any()
        assert parquet.equals(parquet.sort_values(key, kind="stable").reset_index(drop=True))
        assert resources[table]["hash"] == "sha256:" + digest(csv_path)
    dictionary = pd.read_csv(processed / "data_dictionary.csv")
    assert set(dictionary["table"]) == set(PROCESSED_MODELS)


def test_no_intermediate_is_left_in_the_report_folder(built_project: Path) -> None:
    leftovers = [p.name for p in (built_project / "reports").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_second_run_has_nothing_to_do(built_project: Path, built_env: dict[str, str]) -> None:
    done = snakemake(built_project, "--config", "render_engine=pandoc", env=built_env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Nothing to be done" in done.stdout + done.stderr


def test_every_number_in_the_prose_comes_from_variables(built_project: Path) -> None:
    variables = yaml.safe_load((built_project / "reports/_variables.yml").read_text())
    html = (built_project / "reports/crackdown.html").read_text()
    for name in ("china_share_first", "china_share_pre_crackdown", "china_share_last"):
        assert variables[name] in html
    assert "{{&lt;" not in html and "{{<" not in html


@pytest.fixture(scope="module")
def scratch_copy(built_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built project that the failure cases may break and restore."""
    copy = tmp_path_factory.mktemp("scratch") / "project"
    shutil.copytree(built_project, copy, symlinks=True)
    return copy


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_malformed_raw_file_stops_the_run_and_keeps_the_last_report(
    case: Case, scratch_copy: Path, built_env: dict[str, str]
) -> None:
    reports = [scratch_copy / "reports/crackdown.html", scratch_copy / "reports/crackdown.pdf"]
    before = {path: digest(path) for path in reports}
    csv = scratch_copy / case.raw
    meta = sidecar_of(csv)
    original = csv.read_bytes(), meta.read_bytes()
    try:
        break_snapshot(case, scratch_copy)
        broken = csv.read_bytes()

        done = snakemake(scratch_copy, "--config", "render_engine=pandoc", env=built_env)

        assert done.returncode != 0
        for words in (case.raw, *case.expect):
            assert words in done.stderr, f"{words!r} missing from:\n{done.stderr[-3000:]}"
        assert {path: digest(path) for path in reports} == before
        assert csv.read_bytes() == broken  # raw data is never written
        assert not list(scratch_copy.rglob("*.part"))
        if "no_sidecar" in case.tags:
            return  # refused while planning, before any job: nothing else to check
        table = Path(case.raw).stem
        validation = scratch_copy / "data/processed/validation"
        assert (validation / f"{table}.failures.csv").stat().st_size > 0
        assert case.raw in (validation / f"{table}.failures.txt").read_text()
        assert not (scratch_copy / f"data/interim/{table}.parquet").exists()
    finally:
        csv.write_bytes(original[0])
        meta.write_bytes(original[1])


def test_snakemake_lint_is_clean(built_env: dict[str, str]) -> None:
    root = Path(__file__).resolve().parents[1]
    done = snakemake(root, "--lint", env=built_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Lints for" not in done.stdout + done.stderr
