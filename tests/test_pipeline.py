"""The whole DAG, run by Snakemake in a temporary copy of the project."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

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


@pytest.fixture
def broken_copy(built_project: Path, tmp_path: Path) -> Path:
    """A copy of the built project whose country table has a share above 100."""
    copy = tmp_path / "project"
    shutil.copytree(built_project, copy, symlinks=True)
    raw = copy / "data/raw/ccaf/cbeci_countries.csv"
    content = raw.read_bytes().replace(
        b"2021-04-01,Mainland China,46.04", b"2021-04-01,Mainland China,146.04"
    )
    raw.write_bytes(content)
    meta_path = raw.with_name("cbeci_countries.meta.yml")
    meta = yaml.safe_load(meta_path.read_text())
    meta["sha256"] = hashlib.sha256(content).hexdigest()
    meta_path.write_text(yaml.safe_dump(meta))
    return copy


def test_bad_raw_data_stops_the_run_and_keeps_the_last_report(
    broken_copy: Path, built_env: dict[str, str]
) -> None:
    reports = [broken_copy / "reports/crackdown.html", broken_copy / "reports/crackdown.pdf"]
    before = {path: digest(path) for path in reports}
    raw = broken_copy / "data/raw/ccaf/cbeci_countries.csv"
    raw_before = digest(raw)

    done = snakemake(broken_copy, "--config", "render_engine=pandoc", env=built_env)

    assert done.returncode != 0
    assert "data/raw/ccaf/cbeci_countries.csv" in done.stderr
    assert "column 'share_pct'" in done.stderr
    assert "less_than_or_equal_to(100)" in done.stderr
    failures = broken_copy / "data/processed/validation/cbeci_countries.failures.csv"
    assert "146.04" in failures.read_text()
    assert {path: digest(path) for path in reports} == before
    assert digest(raw) == raw_before
    assert not list(broken_copy.rglob("*.part"))


def test_snakemake_lint_is_clean(built_env: dict[str, str]) -> None:
    root = Path(__file__).resolve().parents[1]
    done = snakemake(root, "--lint", env=built_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Lints for" not in done.stdout + done.stderr
