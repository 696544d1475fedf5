"""The brief logger: one line per finished job, one progress bar, errors as they come."""

from __future__ import annotations

import io
import logging
from types import SimpleNamespace

import pytest
from snakemake_interface_logger_plugins.common import LogEvent

from snakemake_logger_plugin_brief import LogHandler, Progress, bar


def test_the_bar_fills_in_proportion() -> None:
    assert bar(6, 10, width=10) == "[██████░░░░]  6/10"
    assert bar(0, 41, width=4) == "[░░░░]  0/41"
    assert bar(41, 41, width=4) == "[████] 41/41"


def test_off_a_terminal_only_finished_jobs_are_printed() -> None:
    out = io.StringIO()
    progress = Progress(out, live=False)
    progress.total = 3
    progress.started(1, "Deriving shutdowns")
    progress.started(2, "Drawing chart machines")
    progress.finished(1)
    progress.failed(2, "logs/charts/machines.log")
    progress.finished(3)  # an unannounced job (the target rule): counted, not printed
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("  ✓ Deriving shutdowns  (") and lines[0].endswith(" s)")
    assert lines[1] == "  ✗ Drawing chart machines failed — log: logs/charts/machines.log"
    assert "\x1b" not in out.getvalue() and "█" not in out.getvalue()
    assert progress.done == 2


def test_on_a_terminal_the_bar_is_redrawn_below_each_line() -> None:
    out = io.StringIO()
    progress = Progress(out, live=True)
    progress.total = 2
    progress.started(1, "Rendering reports/crackdown.html")
    assert out.getvalue().endswith("0/2  running: Rendering reports/crackdown.html")
    progress.finished(1)
    text = out.getvalue()
    # The bar is wiped before the job's line, then drawn again, now at 1/2.
    assert "\r\x1b[2K  ✓ Rendering reports/crackdown.html" in text
    assert text.endswith("] 1/2")
    progress.close()
    assert out.getvalue().endswith("\r\x1b[2K")


def record(event: LogEvent | None, message: str = "", level: int = logging.INFO, **extra):
    fields = {"msg": message, "levelno": level, "levelname": logging.getLevelName(level)}
    if event is not None:
        fields["event"] = event
    return logging.makeLogRecord({**fields, **extra})


@pytest.fixture
def handler() -> LogHandler:
    settings = SimpleNamespace(stdout=True, dryrun=False)
    made = LogHandler(common_settings=settings, settings=None)
    made.progress = Progress(io.StringIO(), live=False)  # what a log file or CI would see
    return made


def printed(handler: LogHandler) -> str:
    return handler.progress.stream.getvalue()


def test_a_run_prints_its_size_its_jobs_and_its_errors(handler: LogHandler) -> None:
    handler.emit(record(LogEvent.RUN_INFO, "Job stats: ...", stats={"a": 2, "total": 3}))
    handler.emit(record(None, "Building DAG of jobs..."))
    handler.emit(record(LogEvent.JOB_INFO, jobid=4, rule_name="r", rule_msg="Deriving x",
                        log=["logs/derive/x.log"]))  # fmt: skip
    handler.emit(record(LogEvent.JOB_INFO, jobid=5, rule_name="chart_y", log=[]))
    handler.emit(record(LogEvent.JOB_FINISHED, job_id=4))
    handler.emit(record(LogEvent.JOB_ERROR, jobid=5))
    handler.emit(record(LogEvent.ERROR, "RuleException: CalledProcessError in file x", 40))
    handler.emit(record(None, "Raw snapshots are incomplete: a.csv", logging.ERROR))
    lines = printed(handler).splitlines()
    assert lines[0] == "Building: 3 step(s) to run"
    assert lines[1].startswith("  ✓ Deriving x  (")
    assert lines[2] == "  ✗ chart_y failed"
    assert lines[3] == "Raw snapshots are incomplete: a.csv"
    assert len(lines) == 4  # no DAG chatter, no CalledProcessError wrap-up


def test_nothing_to_do_is_said_plainly(handler: LogHandler) -> None:
    handler.emit(record(None, "Nothing to be done (all requested files are present)."))
    assert printed(handler) == "Nothing to be done: every output is up to date.\n"
