"""The whole DAG, run by Snakemake in a temporary copy of the project."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
import yaml
from malformed import CASES, CROSS_TABLE_CASES, RAW, break_snapshot, sidecar_of

from mining_report.derive.catalog import CLEANED_MODELS

from conftest import ROOT, digest, install_own_code, snakemake


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
    assert set(resources) == set(CLEANED_MODELS)
    for table, model in CLEANED_MODELS.items():
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
    assert set(dictionary["table"]) == set(CLEANED_MODELS)


def test_no_intermediate_is_left_in_the_report_folder(built_project: Path) -> None:
    # Hidden files the sources hold (the .gitignore Quarto would write) are not left over.
    sources = {p.name for p in (ROOT / "reports").glob(".*") if p.is_file()}
    leftovers = [
        p.name
        for p in (built_project / "reports").iterdir()
        if p.name.startswith(".") and p.name not in sources
    ]
    assert leftovers == []


def test_second_run_has_nothing_to_do(built_copy: Path, built_env: dict[str, str]) -> None:
    done = snakemake(built_copy, "--config", "render_engine=pandoc", env=built_env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Nothing to be done" in done.stdout + done.stderr


def test_every_number_in_the_prose_comes_from_variables(built_project: Path) -> None:
    variables = yaml.safe_load((built_project / "reports/_variables.yml").read_text())
    html = (built_project / "reports/crackdown.html").read_text()
    for name in ("china_share_first", "china_share_baseline", "china_share_last"):
        assert variables[name] in html
    assert "{{&lt;" not in html and "{{<" not in html


def processed_digests(project: Path) -> dict[str, str]:
    """Every cleaned table and the interim tables, by path."""
    found = [*(project / "data/processed").glob("*.*"), *(project / "data/interim").glob("*")]
    return {str(p.relative_to(project)): digest(p) for p in found if p.is_file()}


def report_pair(project: Path) -> dict[str, str]:
    names = ("reports/crackdown.html", "reports/crackdown.pdf", "reports/manifest.json")
    return {name: digest(project / name) for name in names}


def assert_refused_safely(
    done,
    project: Path,
    before: dict[str, str],
    tables: dict[str, str],
    words: tuple[str, ...],
    validated: tuple[str, ...] = (),
) -> None:
    """Exit status, the message, nothing written downstream, the report pair as it was.

    ``tables`` are the good build's tables: a table may be missing after the run (a
    failed job's outputs are removed), or rewritten from good data, never changed;
    only the ``validated`` interim tables (which passed their own checks before a
    cross-table check failed) may hold the bad data.
    """
    assert done.returncode != 0
    for text in words:
        assert text in done.stderr, f"{text!r} missing from:\n{done.stderr[-3000:]}"
    # The run ends in readable lines of ours (Snakemake adds its log's path and a
    # closing summary), never in a traceback.
    ours = [line for line in done.stderr.splitlines() if line.startswith("ERROR: ")]
    assert ours, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert report_pair(project) == before
    after = {k: v for k, v in processed_digests(project).items() if k not in validated}
    assert all(tables.get(name) == value for name, value in after.items()), [
        name for name, value in after.items() if tables.get(name) != value
    ]
    assert not list(project.rglob("*.part"))


#: A representative few of the corpus, end to end, each with what the run's last line,
#: its one-line verdict, must say besides the file: a value that is not finite, an
#: order-of-magnitude slip, a missing period, a broken checksum in a sidecar, and a
#: missing sidecar (refused while planning); and a disagreement between two tables.
#: tests/unit/test_malformed.py runs every case of the corpus against the validator.
E2E_CASES = {
    "btc_price_infinity": ("column 'PriceUSD'", "check 'finite_number'", "line(s) 3",
                           "'Infinity'"),
    "machine_count_ten_times_too_big": (
        "column 'value'", "check 'machine_counts_are_whole_and_0_to_5_million'", "line(s) 3",
        "'20000000'"),
    "province_month_deleted": ("column 'date'", "check 'every_period_present(months",
                               "'2020-07-01 Sichuan missing'"),
    "sha256_all_digits": ("sha256 does not match its sidecar data/raw/press/events.meta.yml",),
    "missing_sidecar": (
        "no provenance sidecar; expected data/raw/hardware/asic_listings.meta.yml",
    ),
    "network_hashrate_off_by_a_tenth": (
        "column 'abs_hashrate_ehs'", "check 'ccaf_ehs_matches_coin_metrics_hashrate(within 1%)'",
        "2021-03: CCAF 159.60 EH/s, Coin Metrics 175.56 EH/s"),
}  # fmt: skip
BY_NAME = {case.name: case for case in CASES + CROSS_TABLE_CASES}


def verdicts(done, project: Path) -> list[str]:
    """The lines a failed run ends in: one ERROR line per failed step (recorded in
    logs/failures.txt, printed by the workflow's onerror), or per planning refusal."""
    ours = [line for line in done.stderr.splitlines() if line.startswith("ERROR: ")]
    recorded = project / "logs/failures.txt"
    if recorded.exists():
        lines = [f"ERROR: {line}" for line in recorded.read_text().splitlines()]
        assert lines and ours[-len(lines) :] == lines, done.stderr[-3000:]
        return lines
    return ours


@pytest.mark.parametrize("name", E2E_CASES)
def test_bad_input_stops_the_run_and_keeps_the_last_report(
    name: str, built_copy: Path, built_project: Path, built_env: dict[str, str]
) -> None:
    case, project = BY_NAME[name], built_copy
    before, tables = report_pair(project), processed_digests(built_project)
    csv = break_snapshot(case, project)
    broken = csv.read_bytes()

    done = snakemake(project, "--config", "render_engine=pandoc", env=built_env)

    # The run ends in one line that names the file, and the column, row and check (a
    # disagreement between tables is filed against CCAF's, naming the other).
    lines = verdicts(done, project)
    assert len(lines) == 1, lines
    filed_against = RAW["cbeci_countries"] if "cross" in case.tags else case.raw
    assert lines[0].startswith(f"ERROR: {filed_against}: "), lines[0]
    for words in E2E_CASES[name]:
        assert words in lines[0], f"{words!r} missing from:\n{lines[0]}"
    # A cross-table case breaks a table that passes its own checks, and the daily
    # table computed from it; both exist before the cross-check refuses them.
    validated = (
        (f"data/interim/{case.table}.parquet", "data/interim/btc_daily.parquet")
        if "cross" in case.tags
        else ()
    )
    assert_refused_safely(done, project, before, tables, (), validated)
    assert csv.read_bytes() == broken  # raw data is never written
    if "no_sidecar" in case.tags:
        return  # refused while planning, before any job: nothing else to check
    # The failure cases are written, and the whole verdict beside them.
    table = "cbeci_countries" if "cross" in case.tags else Path(case.raw).stem
    validation = project / "data/processed/validation"
    stem = "network_hashrate" if "cross" in case.tags else table
    assert (validation / f"{stem}.failures.csv").stat().st_size > 0
    named = sidecar_of(Path(case.raw)) if case.edit_sidecar else case.raw
    verdict = (validation / f"{stem}.failures.txt").read_text()
    for words in (str(named), *case.expect):
        assert words in verdict, f"{words!r} missing from:\n{verdict}"
    if "cross" not in case.tags:
        assert not (project / f"data/interim/{table}.parquet").exists()


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        pytest.param('  date: "2026-11-22"', "  date: 2026-13-45",
                     ("ERROR: config key report.date: '2026-13-45' is not a date",),
                     id="impossible_report_date_unquoted"),
        pytest.param("  machine_flow_entities: data/raw/press/machine_flow_entities.csv\n", "",
                     ("ERROR: config key raw_tables.machine_flow_entities: missing, but the "
                      "workflow reads data/interim/machine_flow_entities.parquet",),
                     id="table_removed_but_read"),
    ],
)  # fmt: skip
def test_a_config_error_is_refused_while_planning(
    old: str,
    new: str,
    words: tuple[str, ...],
    built_copy: Path,
    built_project: Path,
    built_env: dict[str, str],
) -> None:
    before, tables = report_pair(built_copy), processed_digests(built_project)
    assert (built_copy / "data/interim/machine_flow_entities.parquet").exists()
    config = built_copy / "config/config.yaml"
    original = config.read_text()
    assert old in original
    config.write_text(original.replace(old, new, 1))
    done = snakemake(built_copy, "--config", "render_engine=pandoc", env=built_env)
    assert_refused_safely(done, built_copy, before, tables, words)
    assert done.stderr.strip().splitlines()[-1].startswith("ERROR: config key")
    assert "Job " not in done.stderr  # no job started


def test_a_fifo_among_the_raw_files_is_refused_without_hanging(
    built_copy: Path, built_project: Path, built_env: dict[str, str]
) -> None:
    before, tables = report_pair(built_copy), processed_digests(built_project)
    csv = built_copy / "data/raw/press/events.csv"
    csv.unlink()
    os.mkfifo(csv)
    done = snakemake(built_copy, "--config", "render_engine=pandoc", env=built_env)
    words = ("ERROR: data/raw/press/events.csv: is not a regular file",)
    assert_refused_safely(done, built_copy, before, tables, words)


def test_a_failed_render_publishes_neither_html_nor_pdf(
    built_copy: Path, built_project: Path, built_env: dict[str, str]
) -> None:
    before, tables = report_pair(built_copy), processed_digests(built_project)
    qmd = built_copy / "reports/index.qmd"
    qmd.write_text(qmd.read_text() + "\nA new edition.\n")
    # The HTML renders; the PDF does not (as with a broken or missing Typst).
    header = built_copy / "reports/typst-header.typ"
    header.write_text(header.read_text() + "\n#let broken = (\n")
    done = snakemake(built_copy, "--config", "render_engine=pandoc", env=built_env)
    assert_refused_safely(done, built_copy, before, tables, ("ERROR: typst failed",))
    # One job renders both: its failure leaves neither in the build folder.
    assert not (built_copy / "reports/_build/crackdown.html").exists()
    assert not (built_copy / "reports/_build/crackdown.pdf").exists()


def test_a_failing_step_ends_in_one_line_and_keeps_the_report(
    built_copy: Path, built_project: Path, built_env: dict[str, str]
) -> None:
    before, tables = report_pair(built_copy), processed_digests(built_project)
    python = install_own_code(built_copy)  # runs the copy's code, the bug below with it
    charts = built_copy / "src/mining_report/charts/output.py"
    # A bug that only shows on some data: every chart fails while it is saved.
    bug = (
        "\n\ndef save_chart(*args, **kwargs):\n"
        "    raise OverflowError('cannot convert float infinity')\n"
    )
    charts.write_text(charts.read_text() + bug)
    done = snakemake(built_copy, "--config", "render_engine=pandoc", env=built_env, python=python)
    words = ("OverflowError: cannot convert float infinity (traceback in logs/charts/",)
    assert_refused_safely(done, built_copy, before, tables, words)
    assert "Traceback" in "".join(p.read_text() for p in (built_copy / "logs/charts").glob("*.log"))


def test_snakemake_lint_is_clean(built_env: dict[str, str]) -> None:
    root = ROOT
    done = snakemake(root, "--lint", env=built_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Lints for" not in done.stdout + done.stderr


def test_a_deleted_published_report_is_published_again(
    built_copy: Path, built_env: dict[str, str]
) -> None:
    before = report_pair(built_copy)
    (built_copy / "reports/crackdown.pdf").unlink()
    done = snakemake(built_copy, "--config", "render_engine=pandoc", env=built_env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Published reports/crackdown.html and reports/crackdown.pdf" in done.stderr
    assert report_pair(built_copy) == before
