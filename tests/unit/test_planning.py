"""What Snakemake checks while planning: the config's meaning and the raw files, each
fault on a changed copy of the committed config or raw files."""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path

import pytest
import yaml

from mining_report.pipeline.planning import (
    MODELLED_TABLES,
    check_citations,
    check_config,
    check_raw_inputs,
)
from mining_report.raw.models import RAW_MODELS

from conftest import ROOT, config_with

CONFIG = yaml.safe_load((ROOT / "config/config.yaml").read_text())


def test_the_latest_migration_month_may_be_pinned_to_a_date() -> None:
    assert check_config(config_with("analysis.migration_months.latest", "2022-01-01")) == []


def test_every_raw_model_is_known_to_planning() -> None:
    assert set(MODELLED_TABLES) == set(RAW_MODELS)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("report.date", "2026-13-45", "'2026-13-45' is not a date"),
        ("report.date", "2021-02-30", "'2021-02-30' is not a date"),
        ("report.date", "22 November", "is not a date"),
        ("analysis.base_week", "2021-02-29", "'2021-02-29' is not a date"),
        ("analysis.base_week", "2019-05-10", "is not inside the daily data"),
        ("analysis.base_week", "2022-06-30", "the week 2022-06-27 to 2022-07-03 is not inside"),
        ("analysis.base_week", "2020-01-01", "the week 2019-12-30 to 2020-01-05"),
        ("analysis.baseline_month", "2021-09-01", "outside CCAF's province months"),
        ("analysis.baseline_month", "2021-04-31", "is not a date"),
        ("analysis.migration_months.latest", "2022-06-01", "outside CCAF's country months"),
        ("analysis.migration_months.exodus", "2019-08-01", "outside CCAF's country months"),
        ("analysis.migration_months.exodus", "last", "'last' is not a date"),
        ("analysis.baseline_month", "last", "'last' is not a date"),
        ("analysis.exposure_year", 2019, "2019 is outside the crackdown measures' years"),
        ("analysis.exposure_year", 2023, "2023 is outside"),
    ],
)
def test_a_config_value_outside_the_data_is_refused_naming_the_key(
    key: str, value: object, expected: str
) -> None:
    problems = check_config(config_with(key, value))
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"config key {key}: ")
    assert expected in problems[0]
    assert "\n" not in problems[0]


def test_a_raw_table_without_a_model_is_refused() -> None:
    config = config_with("raw_tables.hashrate_guesses", "data/raw/press/hashrate_guesses.csv")
    assert check_config(config) == [
        "config key raw_tables.hashrate_guesses: no pandera model for it; add one to "
        "RAW_MODELS in src/mining_report/raw/models/__init__.py"
    ]


def test_a_cited_table_removed_from_the_config_is_refused() -> None:
    tables = {k: v for k, v in CONFIG["raw_tables"].items() if k != "events"}
    problems = check_citations(ROOT / "reports/index.qmd", tables)
    assert len(problems) == 1 and problems[0].startswith("config key raw_tables.events: missing")
    assert check_citations(ROOT / "reports/index.qmd", CONFIG["raw_tables"]) == []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data/raw", tmp_path / "data/raw")
    return tmp_path


def test_a_fifo_is_refused_without_opening_it(project: Path) -> None:
    csv = project / CONFIG["raw_tables"]["events"]
    csv.unlink()
    os.mkfifo(csv)  # opening it for reading would block until a writer came
    problems = check_raw_inputs(CONFIG["raw_tables"], project)
    assert problems == [f"{CONFIG['raw_tables']['events']}: is not a regular file "
                        "(a FIFO, device or folder)"]  # fmt: skip


def test_a_symlink_to_a_device_is_refused(project: Path) -> None:
    csv = project / CONFIG["raw_tables"]["coinmetrics_btc_daily"]
    csv.unlink()
    csv.symlink_to(project / "null-link")
    (project / "null-link").symlink_to("/dev/null")
    problems = check_raw_inputs(CONFIG["raw_tables"], project)
    assert any("leads outside the project" in p for p in problems), problems


def test_a_symlinked_folder_leading_outside_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    shutil.copytree(project / "data/raw/press", outside)
    shutil.rmtree(project / "data/raw/press")
    (project / "data/raw/press").symlink_to(outside, target_is_directory=True)
    problems = check_raw_inputs(CONFIG["raw_tables"], project)
    assert any(
        p.startswith("data/raw/press: a symlink leading outside the project") for p in problems
    )
    assert any(p.startswith("data/raw/press/events.csv: leads outside") for p in problems)


def test_a_symlink_inside_the_project_is_allowed(project: Path) -> None:
    csv = project / CONFIG["raw_tables"]["events"]
    kept = project / "data/raw/press/events-copy.bin"
    csv.rename(kept)
    csv.symlink_to(kept.name)
    assert check_raw_inputs(CONFIG["raw_tables"], project) == []


def test_a_missing_raw_file_is_named(project: Path) -> None:
    (project / CONFIG["raw_tables"]["asic_models"]).unlink()
    assert check_raw_inputs(CONFIG["raw_tables"], project) == [
        "data/raw/hardware/asic_models.csv: listed in config raw_tables.asic_models but missing"
    ]


def test_an_unquoted_impossible_date_is_named_before_yaml_fails(tmp_path: Path) -> None:
    from mining_report.config_file import check_config_file

    config = tmp_path / "config.yaml"
    text = (ROOT / "config/config.yaml").read_text()
    assert check_config_file(ROOT / "config/config.yaml") == []
    config.write_text(text.replace('date: "2026-11-22"', "date: 2026-13-45"))
    (problem,) = check_config_file(config)
    assert problem.startswith("config key report.date: '2026-13-45' is not a date")
    assert problem.endswith(f"in {config} line 14")
    config.write_text(text.replace("report:", "report: [", 1))
    (problem,) = check_config_file(config)
    assert problem.startswith(f"{config}: not readable as YAML") and "\n" not in problem


def test_the_report_may_not_be_named_as_its_document() -> None:
    # A render writes index.typ and index.pdf beside reports/index.qmd: a report
    # published as reports/index.pdf would be overwritten by every render.
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    schema = str(ROOT / "workflow/schemas/config.schema.yaml")
    validate(copy.deepcopy(CONFIG), schema)
    renamed = copy.deepcopy(CONFIG)
    renamed["report"]["name"] = "index"
    with pytest.raises(WorkflowError, match="report"):
        validate(renamed, schema)
