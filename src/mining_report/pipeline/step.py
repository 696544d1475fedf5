"""Run one pipeline step: log to the job's log file and fail with a readable message.

Most steps run inside the Snakemake process, in its worker threads (``run_job``):
each job's log records go to its own log file, and a failure raises ``StepFailed``
for Snakemake to report. A step run as a script of its own (``run``) exits instead.
"""

from __future__ import annotations

import importlib
import logging
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mining_report.errors import EXPECTED_ERRORS, ValidationFailed
from mining_report.run_log import FAILURES_FILE

#: How many failure cases a summary of an unexpected schema error quotes.
MAX_CASES = 3

_FORMAT = logging.Formatter("%(levelname)s %(name)s: %(message)s")
_job = threading.local()
_record_lock = threading.Lock()


class StepFailed(Exception):
    """A step failed; its one-line verdict is the message (already printed and recorded)."""


class _ThreadJobLog(logging.Handler):
    """Hands a record to the log file of the job running in the thread that logged it.

    Logging calls a handler in the thread that logs, so two jobs running side by side
    in one process each write their own log; records of other threads are dropped.
    """

    def emit(self, record: logging.LogRecord) -> None:
        handler = getattr(_job, "handler", None)
        if handler is not None:
            handler.handle(record)


def _route_logs_by_thread() -> None:
    root = logging.getLogger()
    if not any(isinstance(h, _ThreadJobLog) for h in root.handlers):
        root.addHandler(_ThreadJobLog())
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)


def describe(err: BaseException) -> str:
    """One line for an unexpected error: its type and the first line of its message.

    A pandera ``SchemaErrors`` (an output table that broke its model) is summarised
    by column, check and failing value instead of its JSON dump.
    """
    cases = getattr(err, "failure_cases", None)
    if cases is not None and hasattr(cases, "head"):
        quoted = "; ".join(
            f"column '{row.get('column')}', check '{row.get('check')}', "
            f"row {row.get('index')}, value {row.get('failure_case')!r}"
            for row in cases.head(MAX_CASES).to_dict("records")
        )
        more = len(cases) - MAX_CASES
        return f"output schema failed: {quoted}" + (f" and {more} more" if more > 0 else "")
    first = (str(err).strip().splitlines() or [""])[0]
    return f"{type(err).__name__}: {first[:300]}"


def one_line(err: BaseException) -> str:
    """An expected error's message as one line naming the file and what broke.

    A validation verdict lists one "  - column …, check …" line per failed check
    under a header; the one line keeps the file, the first check and the count.
    """
    lines = [line for line in str(err).strip().splitlines() if line.strip()]
    if not lines:
        return type(err).__name__
    if not isinstance(err, ValidationFailed):  # a renderer's output follows its first line
        return lines[0]
    details = [line.strip()[2:] for line in lines[1:] if line.strip().startswith("- ")]
    if not details:
        return lines[0]
    source = lines[0].split(": ", 1)[0]
    more = f" (and {len(details) - 1} more failed check(s))" if len(details) > 1 else ""
    return f"{source}: {details[0]}{more}"


def _record(line: str) -> None:
    try:
        FAILURES_FILE.parent.mkdir(parents=True, exist_ok=True)
        with _record_lock, open(FAILURES_FILE, "a", encoding="utf-8") as out:
            out.write(line.replace("\n", " ") + "\n")
    except OSError:
        pass  # the message is printed anyway


def _verdict(step: Callable[[], None], log_file: str | Path) -> str | None:
    """Call ``step`` with its log open; on an error, log it and return its one line.

    Expected errors (bad input, a failed render) carry a message written for people;
    anything else is summarised in one line, with its traceback in the log.
    """
    Path(log_file).parent.mkdir(parents=True, exist_ok=True)
    _route_logs_by_thread()
    handler = logging.FileHandler(log_file, mode="w", encoding="utf-8")
    handler.setFormatter(_FORMAT)
    _job.handler = handler
    try:
        step()
        return None
    except EXPECTED_ERRORS as err:
        logging.getLogger("pipeline").error("%s", err)
        # The terminal shows the message; the log keeps a copy.
        print(f"\nERROR: {err}\n", file=sys.stderr)
        _record(f"{one_line(err)} (see {log_file})")
        return one_line(err)
    except Exception as err:
        logging.getLogger("pipeline").exception("step failed")
        line = f"{Path(log_file).stem}: {describe(err)} (traceback in {log_file})"
        print(f"\nERROR: {line}\n", file=sys.stderr)
        _record(line)
        return line
    finally:
        _job.handler = None
        handler.close()
        sys.stderr.flush()


def run(step: Callable[[], None], log_file: str | Path) -> None:
    """Run a step as a script of its own: on any error, exit with status 1."""
    if _verdict(step, log_file) is not None:
        sys.exit(1)


def run_job(kind: str, job: Any, *, in_process: bool = True) -> None:
    """Run the job ``mining_report.pipeline.jobs.<kind>``: ``job`` has the rule's input, output,
    params, wildcards and log (a `run:` block's names, or a script's ``snakemake``).

    In process (a Snakemake worker thread) a failure raises StepFailed; in a script
    of its own it exits with status 1. The module is imported here, on first use, so
    that planning a run, or a run with nothing to do, never imports pandas, pandera
    or Altair.
    """
    _record_job(kind, job)
    module = importlib.import_module(f"{__package__}.jobs.{kind}")
    failed = _verdict(lambda: module.main(job), job.log[0])
    if failed is not None:
        if in_process:
            raise StepFailed(failed)
        sys.exit(1)


#: A folder to record every job in (its kind and arguments), for the benchmark's
#: single-process floor, which replays a build's jobs in one Python process.
RECORD_JOBS = "MINING_REPORT_RECORD_JOBS"


def _record_job(kind: str, job: Any) -> None:
    folder = os.environ.get(RECORD_JOBS)
    if not folder:
        return
    record = {"kind": kind}
    for part in ("input", "output", "params", "wildcards", "log"):
        named = getattr(job, part)
        names = {name: list(span) for name, span in getattr(named, "_names", {}).items()}
        items = [str(item) if isinstance(item, str) else item for item in named]
        record[part] = (items, names)
    name = f"{time.time_ns()}-{threading.get_ident()}-{kind}.pickle"
    Path(folder, name).write_bytes(pickle.dumps(record))
