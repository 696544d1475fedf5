"""The config loads safely, and each invalid value is one line naming its key.

Snakemake's ``configfile:`` expands YAML aliases (a "billion laughs" file takes all
memory), runs Python tags and YTE templates, and its ``validate`` stops at the first
error in a report of many lines. ``check_config_file`` reads the file first without
ever expanding an alias; ``check_config_shape`` names every value the schema refuses.
The end-to-end runs of the same cases are in tests/pipeline/test_config_safety_runs.py.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from mining_report.config_file import (
    MAX_CONFIG_BYTES,
    MAX_YAML_DEPTH,
    ConfigFileError,
    check_config_file,
    check_config_shape,
    load_yaml_safely,
)
from mining_report.pipeline.planning import check_config

from conftest import ROOT, config_with

TEXT = (ROOT / "config/config.yaml").read_text(encoding="utf-8")
CONFIG = yaml.safe_load(TEXT)
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"

#: Nine levels of nine aliases each: 9**9 (387 million) strings once expanded.
BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]\n"
    for before, name in zip("abcdefgh", "bcdefghi", strict=True)
)
BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + BOMB + TEXT


def written(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def replaced(old: str, new: str) -> str:
    assert old in TEXT, old
    return TEXT.replace(old, new, 1)


def test_the_project_files_load() -> None:
    assert check_config_file(ROOT / "config/config.yaml") == []
    assert load_yaml_safely(ROOT / "config/config.yaml") == CONFIG
    sources = load_yaml_safely(ROOT / "config/sources.yaml")
    assert sources == yaml.safe_load((ROOT / "config/sources.yaml").read_text())
    assert check_config_shape(CONFIG, SCHEMA) == []
    assert len(TEXT.encode()) < MAX_CONFIG_BYTES // 16  # the limit is far off


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(TEXT + "#" * MAX_CONFIG_BYTES + "\n",
                     f"bytes, over the limit of {MAX_CONFIG_BYTES:,} bytes", id="too_big"),
        pytest.param(replaced("crackdown", "crack\xffdown").encode("latin-1"),
                     "not UTF-8 text (byte 0xff at line 12)", id="not_utf8"),
        pytest.param(replaced("report:", "report: ["),
                     "not readable as YAML (line 14, column 3: did not find expected ',' or ']'",
                     id="syntax"),
        pytest.param(replaced("render_engine: auto", "render_engine: auto\x07"),
                     "not readable as YAML (line 8: the character '\\x07' is not allowed)",
                     id="control_character"),
        pytest.param(BOMB, "a YAML anchor (&a) at line 1; aliases and anchors are refused",
                     id="alias_bomb"),
        pytest.param(replaced("render_engine: auto", "render_engine: *engine"),
                     "a YAML alias (*engine) at line 8; aliases and anchors are refused",
                     id="alias"),
        pytest.param(replaced("render_engine: auto", "render_engine: &engine auto"),
                     "a YAML anchor (&engine) at line 8", id="anchor"),
        pytest.param(replaced("render_engine: auto",
                              "render_engine: !!python/object/apply:os.system [true]"),
                     "a YAML tag (!!python/object/apply:os.system) at line 8; tags are refused",
                     id="python_tag"),
        pytest.param(replaced("render_engine: auto", "render_engine: !!binary YXV0bw=="),
                     "a YAML tag (!!binary) at line 8", id="binary_tag"),
        pytest.param("", "empty; expected a mapping of keys to values", id="empty"),
        pytest.param("# settings\n\n", "empty; expected a mapping", id="comments_only"),
        pytest.param("---\n~\n", "empty; expected a mapping", id="null"),
        pytest.param("- render_engine: auto\n",
                     "the top level is a list (line 1); expected a mapping", id="list"),
        pytest.param("auto\n", "the top level is a single value (line 1); expected a mapping",
                     id="scalar"),
        pytest.param(TEXT + "---\nrender_engine: quarto\n",
                     f"a second YAML document begins at line {TEXT.count(chr(10)) + 1}",
                     id="two_documents"),
        pytest.param("a: " + "[" * 50 + "]" * 50 + "\n",
                     f"nested more than {MAX_YAML_DEPTH} levels deep at line 1", id="too_deep"),
        pytest.param("? [render_engine]\n: auto\n",
                     "a list or mapping as a key, at line 1", id="list_as_key"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_load_safely_is_one_line_naming_it(
    tmp_path: Path, text: str | bytes, expected: str
) -> None:
    path = written(tmp_path, text)
    (problem,) = check_config_file(path)
    assert problem.startswith(f"{path}: ") and expected in problem, problem
    assert "\n" not in problem
    with pytest.raises(ConfigFileError) as raised:
        load_yaml_safely(path)
    assert str(raised.value) == problem and raised.value.problems == [problem]


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "config.yaml")
    assert check_config_file(tmp_path / "config.yaml") == [
        f"{tmp_path / 'config.yaml'}: not a regular file (a FIFO, device or folder)"
    ]


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    (problem,) = check_config_file(tmp_path / "config.yaml")
    assert problem == f"{tmp_path / 'config.yaml'}: cannot be read (No such file or directory)"


def test_every_key_given_twice_and_impossible_date_is_named_with_its_lines(
    tmp_path: Path,
) -> None:
    text = replaced("  name: crackdown\n", "  name: crackdown\n  name: other\n")
    text = text.replace('baseline_month: "2021-01-01"', "baseline_month: 2021-02-30")
    text += "render_engine: quarto\n"
    path = written(tmp_path, text)
    lines = text.splitlines()
    name, other, month, engine, again = (
        lines.index(line) + 1
        for line in ("  name: crackdown", "  name: other", "  baseline_month: 2021-02-30",
                     "render_engine: auto", "render_engine: quarto")
    )  # fmt: skip
    assert check_config_file(path) == [
        f"config key report.name: given twice, in {path} lines {name} and {other}; "
        "YAML would keep only the last",
        f"config key analysis.baseline_month: '2021-02-30' is not a date (YYYY-MM-DD, a day "
        f"that exists), in {path} line {month}",
        f"config key render_engine: given twice, in {path} lines {engine} and {again}; "
        "YAML would keep only the last",
    ]
    # A mapping on one line (JSON, which Snakemake tries first) is no exception.
    path = written(tmp_path, '{"render_engine": "auto", "render_engine": "quarto"}')
    (problem,) = check_config_file(path)
    assert problem.startswith("config key render_engine: given twice, in ")


def test_a_yte_template_is_refused_before_snakemake_would_run_it(tmp_path: Path) -> None:
    path = written(tmp_path, "__use_yte__: true\n" + TEXT)
    (problem,) = check_config_file(path)
    assert problem.startswith(f"config key __use_yte__: refused, in {path}; ")


def _load_with_little_memory(path: Path, connection: Any) -> None:
    """In a forked child: at most 256 MiB more address space than it began with."""
    status = Path("/proc/self/status").read_text()
    (size,) = [int(line.split()[1]) * 1024 for line in status.splitlines()
               if line.startswith("VmSize:")]  # fmt: skip
    limit = size + 256 * 1024**2
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    connection.send(check_config_file(path))


def test_an_alias_bomb_is_refused_at_once_without_expanding_it(tmp_path: Path) -> None:
    # Expanded, the file is hundreds of millions of strings: the check must stop at the
    # first anchor. A child process with little memory and a deadline proves it does.
    path = written(tmp_path, BOMB)
    context = multiprocessing.get_context("fork")  # a function, not a program, is run
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_load_with_little_memory, args=(path, sending))
    started = time.monotonic()
    child.start()
    child.join(timeout=20)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail("check_config_file did not return within 20 s on an alias bomb")
    assert child.exitcode == 0, "the check ran out of memory (or failed) on an alias bomb"
    (problem,) = receiving.recv()
    assert "a YAML anchor (&a) at line 1" in problem
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("render_engine", 5, "5 is not a string"),
        ("render_engine", ["auto"], "['auto'] is not a string"),
        ("render_engine", None, "no value; expected a string"),
        ("render_engine", "latex", "'latex' is not one of 'auto', 'quarto', 'pandoc'"),
        ("report", "crackdown", "'crackdown' is not a mapping of keys to values"),
        ("report", 1, "1 is not a mapping of keys to values"),
        ("report", None, "no value; expected a mapping of keys to values"),
        ("report.name", 5, "5 is not a string"),
        ("report.name", {"a": 1}, "{'a': 1} is not a string"),
        ("report.name", "Crack down", "'Crack down' does not have the form ^[a-z][a-z0-9_-]*$"),
        ("report.name", "index", "'index' is not allowed here (the document is "
                                 "reports/index.qmd, and a render writes index.* beside it)"),
        ("report.name", "x" * 65, f"'{'x' * 55}...' is longer than 64 characters"),
        ("report.date", dt.date(2026, 11, 22),
         '2026-11-22 is a date to YAML, not a string; quote it: "2026-11-22"'),
        ("report.date", [2026], "[2026] is not a string"),
        ("raw_tables", ["data/raw/press/events.csv"],
         "['data/raw/press/events.csv'] is not a mapping of keys to values"),
        ("raw_tables", "events", "'events' is not a mapping of keys to values"),
        ("raw_tables", {}, "has 0 entries; it needs at least 1"),
        ("raw_tables.events", 5, "5 is not a string"),
        ("raw_tables.events", None, "no value; expected a string"),
        ("raw_tables.events", "data/raw/press/events.txt",
         "'data/raw/press/events.txt' does not have the form ^data/raw/[A-Za-z0-9_/-]+\\.csv$"),
        ("raw_tables.events", "data/raw/../../events.csv", "'data/raw/../../events.csv' does "
                                                           "not have the form"),
        ("analysis", "x", "'x' is not a mapping of keys to values"),
        ("analysis.baseline_month", dt.date(2021, 1, 1), "2021-01-01 is a date to YAML"),
        ("analysis.migration_months", ["2021-07-01"], "['2021-07-01'] is not a mapping"),
        ("analysis.migration_months.latest", 5, "5 is not a string"),
        ("analysis.exposure_year", -3, "-3 is less than the minimum of 2019"),
        ("analysis.exposure_year", 2030, "2030 is more than the maximum of 2022"),
        ("analysis.exposure_year", "2021", "'2021' is not a whole number"),
        ("analysis.exposure_year", 2021.5, "2021.5 is not a whole number"),
        ("analysis.exposure_year", True, "true is not a whole number"),
        ("analysis.base_week", {"week": 19}, "{'week': 19} is not a string"),
    ],
)  # fmt: skip
def test_a_value_of_the_wrong_shape_is_one_line_naming_its_key(
    key: str, value: object, expected: str
) -> None:
    problems = check_config_shape(config_with(key, value), SCHEMA)
    assert problems == [f"config key {key}: {expected}"] or (
        len(problems) == 1 and problems[0].startswith(f"config key {key}: {expected}")
    ), problems


def test_every_wrong_value_is_named_not_only_the_first() -> None:
    config = config_with("report.name", 5)
    config["analysis"]["exposure_year"] = -3
    config["analysis"]["colour"] = "red"
    config["raw_tables"][5] = "data/raw/press/five.csv"
    config["raw_tables"]["Events"] = "data/raw/press/events.csv"
    del config["analysis"]["base_week"]
    config["report.date"] = "2026-11-22"  # what `--config report.date=...` does
    assert check_config_shape(config, SCHEMA) == [  # in the config's order
        "config key report.name: 5 is not a string",
        "config key raw_tables.5: as a key, 5 is not a string",
        "config key raw_tables.Events: as a key, 'Events' does not have the form ^[a-z][a-z0-9_]*$",
        "config key analysis.exposure_year: -3 is less than the minimum of 2019",
        "config key analysis.colour: not a known key (expected: baseline_month, "
        "migration_months, exposure_year, base_week)",
        "config key analysis.base_week: missing",
        "config key report.date: not a known key (expected: render_engine, report, "
        "raw_tables, analysis); --config sets a whole top-level key (report=...), not one "
        "inside it",
    ]


def test_a_config_that_is_not_a_mapping_is_named_as_a_whole() -> None:
    assert check_config_shape([1], SCHEMA) == [
        "config key (the whole config): [1] is not a mapping of keys to values"
    ]


#: Any value YAML (or --config) can give: scalars, dates, lists and mappings of them.
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.dates() | st.sampled_from(["last", "2021-01-01", "2021-02-30", "9999-12-31"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=3),
    max_leaves=8,
)  # fmt: skip
KEYS = st.sampled_from(
    ["render_engine", "report", "report.name", "report.date", "raw_tables",
     "raw_tables.events", "analysis", "analysis.baseline_month", "analysis.migration_months",
     "analysis.migration_months.exodus", "analysis.migration_months.latest",
     "analysis.exposure_year", "analysis.base_week"]
)  # fmt: skip


def one_line_each(problems: list[str]) -> bool:
    return all(isinstance(p, str) and p and "\n" not in p for p in problems)


@given(key=KEYS, value=VALUES)
def test_any_value_anywhere_gets_lines_never_a_traceback(key: str, value: object) -> None:
    config = config_with(key, value)
    shape = check_config_shape(config, SCHEMA)
    assert one_line_each(shape)
    meaning = check_config(config)  # robust even on what the schema refuses
    assert one_line_each(meaning)


@given(value=VALUES)
def test_any_whole_config_gets_lines_never_a_traceback(value: object) -> None:
    assert one_line_each(check_config_shape(value, SCHEMA))
    assert one_line_each(check_config(value))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("analysis.base_week", "9999-12-31", "the week 9999-12-27 to 9999-12-31 is not inside"),
        ("analysis.base_week", "0001-01-01", "the week 0001-01-01 to 0001-01-07 is not inside"),
        ("analysis.migration_months.exodus", "0001-01-01", "outside CCAF's country months"),
    ],
)
def test_extreme_dates_the_schema_accepts_are_refused_in_one_line(
    key: str, value: str, expected: str
) -> None:
    config = config_with(key, value)
    assert check_config_shape(config, SCHEMA) == []
    (problem,) = check_config(config)
    assert problem.startswith(f"config key {key}: ") and expected in problem


def timed(function: Callable[[], object], repeat: int = 20) -> float:
    function()  # imports, caches
    started = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - started) / repeat


def test_the_checks_take_milliseconds() -> None:
    # Every run reads the Snakefile, no-op runs included: the checks must stay light.
    assert timed(lambda: check_config_file(ROOT / "config/config.yaml")) < 0.02
    assert timed(lambda: check_config_shape(CONFIG, SCHEMA)) < 0.05
