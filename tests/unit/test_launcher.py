"""`make report`'s launcher: a short display, and a run that ends on one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mining_report.pipeline.launcher import success_lines
from mining_report.run_log import (
    failed_jobs,
    failure_line,
    reason_in_job_log,
    reason_in_output,
)

# What Snakemake 9 writes to .snakemake/log/ when a job fails (copied from a real run).
RUN_LOG = """\
[Sun Nov 29 09:11:27 2026]
Error in rule validate_raw_table:
    message: None
    jobid: 3
    input: src/mining_report/raw/validation.py, data/raw/press/events.csv
    output: data/interim/events.parquet, data/processed/validation/events.valid.json
    log: logs/validate/events.log (check log file(s) for error details)
Shutting down, this might take some time.
Exiting because a job execution failed. Look above for error messages
"""

TWO_FAILURES = """\
Error in rule chart_machines:
    jobid: 12
    log: logs/charts/machines.log (check log file(s) for error details)
Error in rule derive_x:
    jobid: 13
    wildcards: table=shutdowns
    log: logs/derive/shutdowns.log (check log file(s) for error details)
"""


def test_failed_jobs_are_read_from_the_run_log() -> None:
    assert [(j.rule, j.wildcards, j.log) for j in failed_jobs(RUN_LOG)] == [
        ("validate_raw_table", None, "logs/validate/events.log")
    ]
    jobs = failed_jobs(TWO_FAILURES)
    assert [j.rule for j in jobs] == ["chart_machines", "derive_x"]
    assert jobs[1].wildcards == "table=shutdowns"
    assert failed_jobs("Finished jobid: 0 (Rule: all)\n41 of 41 steps (100%) done\n") == []


def test_an_expected_error_gives_its_first_line_as_the_reason() -> None:
    log = (
        "INFO render: rendering\n"
        "ERROR pipeline: data/raw/a.csv: 2 failed check(s); every case is listed in f.csv\n"
        "  - column 'x', check 'greater_than(0)': line(s) 4; value(s) '-1'\n"
    )
    assert reason_in_job_log(log) == (
        "data/raw/a.csv: 2 failed check(s); every case is listed in f.csv"
    )


def test_an_unexpected_error_gives_the_exception_line() -> None:
    log = (
        "ERROR: step failed\nTraceback (most recent call last):\n"
        "  File \"x.py\", line 3, in <module>\n    main()\nKeyError: 'share_pct'\n"
    )
    assert reason_in_job_log(log) == "KeyError: 'share_pct'"


def test_a_planning_error_is_summarised_from_the_output() -> None:
    output = (
        "Config file config/config.yaml is extended by additional config.\n"
        'WorkflowError in file "/p/Snakefile", line 15:\n'
        "Error validating config file.\n"
        "ValidationError: 'bogus' is not one of ['auto', 'quarto', 'pandoc']\n"
        "\n"
        "Failed validating 'enum' in schema['properties']['render_engine']:\n"
    )
    assert reason_in_output(output) == (
        "WorkflowError: Error validating config file. "
        "ValidationError: 'bogus' is not one of ['auto', 'quarto', 'pandoc']"
    )
    assert reason_in_output("Building DAG of jobs...\n") is None


def test_the_failure_line_names_step_reason_and_log(tmp_path: Path) -> None:
    log = tmp_path / "logs/validate/events.log"
    log.parent.mkdir(parents=True)
    log.write_text("ERROR pipeline: data/raw/press/events.csv: sha256 does not match\n  more\n")
    line = failure_line("", RUN_LOG, tmp_path)
    assert line == (
        "FAILED at validate_raw_table: data/raw/press/events.csv: sha256 does not match"
        " — full log: logs/validate/events.log"
    )
    assert "\n" not in line
    assert failure_line("", TWO_FAILURES, tmp_path).endswith("(and 1 more failed step(s))")


def test_success_names_both_files_with_their_sizes(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports/r.html").write_bytes(b"x" * 2048)
    (tmp_path / "reports/r.pdf").write_bytes(b"x" * 300)
    text = "\n".join(success_lines(tmp_path, "r"))
    assert "reports/r.html  (2.0 KiB" in text
    assert "reports/r.pdf  (300 bytes" in text
    assert "xdg-open reports/r.html" in text


@pytest.mark.parametrize(
    ("rendered_by", "said"),
    [
        ("Quarto 1.7.34", "Rendered by Quarto 1.7.34."),
        ("pandoc 3.9", "Rendered by pandoc 3.9, the portable fallback"),
        (None, None),
    ],
)
def test_success_says_what_rendered_the_report(
    tmp_path: Path, rendered_by: str | None, said: str | None
) -> None:
    (tmp_path / "reports").mkdir()
    if rendered_by:
        record = {"outputs": {}, "rendered_by": rendered_by}
        (tmp_path / "reports/manifest.json").write_text(json.dumps(record))
    lines = success_lines(tmp_path, "r")
    told = [line for line in lines if line.startswith("Rendered by")]
    assert len(told) == (0 if said is None else 1)
    if said:
        assert told[0].startswith(said)


def test_verdicts_and_run_logs_of_an_earlier_run_are_not_this_runs(tmp_path: Path) -> None:
    from mining_report.run_log import new_run_log, recorded_verdicts, run_logs, stamp_of

    failures = tmp_path / "logs/failures.txt"
    failures.parent.mkdir()
    failures.write_text("data/raw/a.csv: column 'x' (see logs/validate/a.log)\n")
    log_folder = tmp_path / ".snakemake/log"
    log_folder.mkdir(parents=True)
    (log_folder / "2026-01-01T000000.snakemake.log").write_text(RUN_LOG)
    before_verdicts, before_logs = stamp_of(failures), run_logs(tmp_path)
    # A run that stops while planning writes neither.
    assert recorded_verdicts(tmp_path, before_verdicts) == []
    assert new_run_log(tmp_path, before_logs) is None
    # A run whose step fails rewrites both.
    failures.write_text("data/raw/b.csv: column 'y', check 'z' (see logs/validate/b.log)\n")
    (log_folder / "2026-01-01T000100.snakemake.log").write_text(TWO_FAILURES)
    assert recorded_verdicts(tmp_path, before_verdicts) == [
        "data/raw/b.csv: column 'y', check 'z' (see logs/validate/b.log)"
    ]
    assert new_run_log(tmp_path, before_logs) == TWO_FAILURES


def test_the_step_named_and_the_verdict_given_are_one_jobs(tmp_path: Path) -> None:
    # The second job to fail (derive_x) finished first and recorded its verdict first.
    verdicts = [
        "data/processed/shutdowns.csv: no rows (see logs/derive/shutdowns.log)",
        "chart machines: no data (traceback in logs/charts/machines.log)",
    ]
    line = failure_line("", TWO_FAILURES, tmp_path, verdicts)
    assert line.startswith("FAILED at chart_machines: chart machines: no data")
    assert "logs/charts/machines.log" in line and "shutdowns" not in line
    # Only the second job recorded a verdict: it is the one named, with its own.
    line = failure_line("", TWO_FAILURES, tmp_path, verdicts[:1])
    assert line.startswith("FAILED at derive_x (table=shutdowns): data/processed/shutdowns.csv")


def test_a_failed_publish_is_named_as_the_publish_step(tmp_path: Path) -> None:
    output = (
        "49 of 49 steps (100%) done\n"
        "ERROR: the report was not published: [Errno 28] No space left on device\n"
    )
    line = failure_line(output, None, tmp_path)
    assert line == (
        "FAILED at publish, after every step had succeeded: [Errno 28] No space left on "
        "device; the published pair is as it was"
    )
    assert "before any step ran" not in line
