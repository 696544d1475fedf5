"""A Snakemake logger that shows one line per finished job and one progress bar.

`make report` runs Snakemake with ``--logger brief``: each job prints its rule's
``message`` once, when it ends, with its time; on a terminal one bar at the bottom
counts the steps and names what is running. Everything else Snakemake says at
level INFO (the job table, "Reason:" paragraphs, input lists) stays in its own run
log under ``.snakemake/log/``; warnings and errors are printed as they come.
Snakemake finds logger plugins by their module name (``snakemake_logger_plugin_*``)
among the installed packages; `make` installs this one with the project (`pip install -e .`).
"""

from __future__ import annotations

import logging
import shutil
import sys
import time
from typing import TextIO

from snakemake_interface_logger_plugins.base import LogHandlerBase
from snakemake_interface_logger_plugins.common import LogEvent

#: Snakemake's own wrap-up of a failed job; the job's line and the launcher say it better.
_NOISE = ("CalledProcessError", "RuleException", "Exiting because a job execution failed",
          "Shutting down, this might take some time", "Complete log",
          "At least one job did not complete successfully")  # fmt: skip


def bar(done: int, total: int, width: int = 24) -> str:
    """A text progress bar: ``[██████░░░░]  6/10``."""
    filled = round(width * done / total) if total else width
    return f"[{'█' * filled}{'░' * (width - filled)}] {done:>{len(str(total))}}/{total}"


class Progress:
    """What the display knows: jobs running and done, and how to print them."""

    def __init__(self, stream: TextIO, live: bool) -> None:
        self.stream = stream
        self.live = live
        self.total = 0
        self.done = 0
        self.running: dict[int, tuple[str, float]] = {}
        self._bar_shown = False

    def _clear_bar(self) -> None:
        if self._bar_shown:
            self.stream.write("\r\x1b[2K")
            self._bar_shown = False

    def _draw_bar(self) -> None:
        if not (self.live and self.total):
            return
        names = ", ".join(label for label, _ in self.running.values())
        line = bar(self.done, self.total) + (f"  running: {names}" if names else "")
        width = shutil.get_terminal_size((100, 20)).columns - 1
        self.stream.write(line[:width])
        self._bar_shown = True

    def say(self, text: str) -> None:
        """Print a line above the bar."""
        self._clear_bar()
        self.stream.write(text + "\n")
        self._draw_bar()
        self.stream.flush()

    def started(self, jobid: int, label: str) -> None:
        self.running[jobid] = (label, time.monotonic())
        self._clear_bar()
        self._draw_bar()
        self.stream.flush()

    def finished(self, jobid: int) -> None:
        label, start = self.running.pop(jobid, (None, time.monotonic()))
        self.done += 1
        if label is None or label == "all":  # the target rule: bookkeeping, not a step
            self._clear_bar()
            self._draw_bar()
        else:
            self.say(f"  ✓ {label}  ({time.monotonic() - start:.1f} s)")

    def failed(self, jobid: int, log: str | None) -> None:
        label, _ = self.running.pop(jobid, (f"job {jobid}", 0.0))
        where = f" — log: {log}" if log else ""
        self.say(f"  ✗ {label} failed{where}")

    def close(self) -> None:
        self._clear_bar()
        self.stream.flush()


class LogHandler(LogHandlerBase):
    """Snakemake's log events, shown briefly (see the module's docstring)."""

    def __post_init__(self) -> None:
        stream = sys.stdout if self.common_settings.stdout else sys.stderr
        self.progress = Progress(stream, live=stream.isatty())
        self.logs: dict[int, str | None] = {}

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._handle(record)
        except Exception:  # a display fault must never stop a run
            self.handleError(record)

    def _handle(self, record: logging.LogRecord) -> None:
        event = getattr(record, "event", None)
        progress = self.progress
        if event == LogEvent.RUN_INFO:
            total = (getattr(record, "stats", None) or {}).get("total", 0)
            if total and not progress.total and not self.common_settings.dryrun:
                progress.say(f"Building: {total} step(s) to run")
            progress.total = total
        elif event == LogEvent.JOB_INFO:
            jobid = getattr(record, "jobid", 0)
            label = getattr(record, "rule_msg", None) or getattr(record, "rule_name", "a step")
            log = getattr(record, "log", None) or []
            self.logs[jobid] = str(log[0]) if log else None
            if self.common_settings.dryrun:
                progress.say(f"  would run: {label}")
            else:
                progress.started(jobid, label)
        elif event == LogEvent.JOB_FINISHED:
            progress.finished(getattr(record, "job_id", 0))
        elif event == LogEvent.JOB_ERROR:
            jobid = getattr(record, "jobid", 0)
            progress.failed(jobid, self.logs.get(jobid))
        elif event is None or event == LogEvent.ERROR:
            message = record.getMessage()
            if message == "None" or any(noise in message for noise in _NOISE):
                return
            if record.levelno >= logging.WARNING:
                progress.say(message)
            elif message.startswith("Nothing to be done"):
                progress.say("Nothing to be done: every output is up to date.")

    def close(self) -> None:
        self.progress.close()
        super().close()

    @property
    def writes_to_stream(self) -> bool:
        return True

    @property
    def writes_to_file(self) -> bool:
        return False

    @property
    def has_filter(self) -> bool:
        return True

    @property
    def has_formatter(self) -> bool:
        return True

    @property
    def needs_rulegraph(self) -> bool:
        return False
