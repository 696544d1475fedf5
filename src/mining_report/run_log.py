"""What a Snakemake run left behind, read back as one line: which step failed and why.

Snakemake writes a run log (``.snakemake/log/``) with an "Error in rule …" block per
failed job; each pipeline step records its one-line verdict in ``logs/failures.txt``
and its detail in its own log. ``make report`` (the launcher) and the refresh's check
of a staged snapshot both end a failed run on :func:`failure_line`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: Each failed step of a run adds its one-line verdict here; the workflow's
#: `onerror` prints them last, so a failure ends in a line that says what broke.
FAILURES_FILE = Path("logs/failures.txt")
#: How a failed publish starts its line, so that the run's verdict names the publish
#: step rather than a job or the planning.
PUBLISH_FAILED = "the report was not published"

#: Snakemake's summary of a failed job in its run log.
_FAILED_JOB = re.compile(r"^Error in rule (?P<rule>\w+):\n(?P<body>(?:[ \t]+.*\n?)*)", re.MULTILINE)
_WILDCARDS = re.compile(r"^\s+wildcards: (?P<wildcards>.+)$", re.MULTILINE)
_JOB_LOG = re.compile(
    r"^\s+log: (?P<log>.+?)(?: \(check log file\(s\) for error details\))?$", re.MULTILINE
)
#: Colour and cursor codes of the progress display, removed before reading the output.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


@dataclass(frozen=True)
class FailedJob:
    """A job Snakemake reported as failed: its rule, wildcards and log file."""

    rule: str
    wildcards: str | None
    log: str | None


def failed_jobs(run_log: str) -> list[FailedJob]:
    """Every "Error in rule …" block of a Snakemake run log, in order."""
    jobs = []
    for match in _FAILED_JOB.finditer(run_log):
        body = match.group("body")
        wildcards = _WILDCARDS.search(body)
        log = _JOB_LOG.search(body)
        jobs.append(
            FailedJob(
                rule=match.group("rule"),
                wildcards=wildcards.group("wildcards").strip() if wildcards else None,
                log=log.group("log").strip() if log else None,
            )
        )
    return jobs


def reason_in_job_log(text: str) -> str | None:
    """The one line a job's log gives as its reason for failing.

    A pipeline step logs ``ERROR <logger>: <message>`` for an expected error (the
    first line of its message is the verdict); otherwise the last line of a
    traceback names the exception.
    """
    for line in text.splitlines():
        found = re.match(r"^ERROR [\w.]+: (.+)$", line)
        if found:
            return found.group(1).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines):
        if re.match(r"^[\w.]+(Error|Exception|Failed)\b.*", line):
            return line
    return lines[-1] if lines else None


def reason_in_output(output: str) -> str | None:
    """Why Snakemake stopped before or outside any job, from what it printed.

    The pipeline's own checks print one ``ERROR: …`` line (a config key, a raw file);
    otherwise Snakemake prints an error class and its message (``WorkflowError in
    file …:`` then the message lines), and the first message line is kept.
    """
    lines = [line.strip() for line in _ANSI.sub("\n", output).splitlines()]
    lines = [line for line in lines if line]
    ours = [line[len("ERROR: ") :] for line in lines if line.startswith("ERROR: ")]
    if ours:
        return ours[0]
    for index, line in enumerate(lines):
        if re.match(r"^\w*(Error|Exception)\b", line):
            rest = [
                other
                for other in lines[index + 1 : index + 6]
                if not other.startswith(("File ", "Failed validating", "On instance"))
            ]
            head = line.split(" in file ")[0].rstrip(":")
            detail = " ".join(rest[:2]) if rest else ""
            return f"{head}: {detail}".rstrip(": ") if detail else head
    return None


def failure_line(
    output: str, run_log: str | None, project: Path, verdicts: list[str] | None = None
) -> str:
    """One line that says which step failed, why, and where to read more.

    ``verdicts`` are the one-line verdicts the failed steps recorded
    (``logs/failures.txt``); without them the job's log is read.
    """
    jobs = failed_jobs(run_log or "")
    if jobs:
        # The step named and the verdict given must be the same job's: two jobs that
        # fail at once finish (and record their verdicts) in either order.
        job, verdict = jobs[0], None
        for candidate in jobs:
            verdict = _verdict_of(candidate, verdicts or [])
            if verdict:
                job = candidate
                break
        step = job.rule + (f" ({job.wildcards})" if job.wildcards else "")
        others = f" (and {len(jobs) - 1} more failed step(s))" if len(jobs) > 1 else ""
        if verdict:
            return f"FAILED at {step}: {verdict}{others}"
        reason = None
        if job.log and (project / job.log).is_file():
            reason = reason_in_job_log((project / job.log).read_text(errors="replace"))
        more = f" — full log: {job.log}" if job.log else ""
        return f"FAILED at {step}: {reason or 'see the log'}{more}{others}"
    if verdicts:
        return f"FAILED: {verdicts[0]}"
    published = _publish_failure(output)
    if published:
        return f"FAILED at publish, after every step had succeeded: {published}"
    reason = reason_in_output(output)
    return f"FAILED before any step ran: {reason or 'see the messages above'}"


def _verdict_of(job: FailedJob, verdicts: list[str]) -> str | None:
    """The verdict a step recorded for ``job``: it ends by naming the job's log."""
    if not job.log:
        return None
    for verdict in verdicts:
        if verdict.endswith((f"(see {job.log})", f"(traceback in {job.log})")):
            return verdict
    return None


def _publish_failure(output: str) -> str | None:
    """Why the publish step (run once every job succeeded) failed, if it did."""
    marker = f"ERROR: {PUBLISH_FAILED}: "
    for line in _ANSI.sub("\n", output).splitlines():
        if line.strip().startswith(marker):
            return line.strip()[len(marker) :] + "; the published pair is as it was"
    return None


def recorded_verdicts(project: Path, before: tuple[int, int] | None) -> list[str]:
    """The failed steps' one-line verdicts, if this run wrote them.

    ``before`` is the file's (mtime, size) when the run started: a file left by an
    earlier run, which a run stopped while planning never reaches, is not this run's.
    """
    path = project / FAILURES_FILE
    if not path.is_file() or stamp_of(path) == before:
        return []
    return [line for line in path.read_text(errors="replace").splitlines() if line.strip()]


def stamp_of(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def run_logs(project: Path) -> set[Path]:
    """The Snakemake run logs there are."""
    return set((project / ".snakemake" / "log").glob("*.snakemake.log"))


def new_run_log(project: Path, before: set[Path]) -> str | None:
    """The text of the run log this run wrote, if it wrote one."""
    logs = run_logs(project) - before
    if not logs:
        return None
    return max(logs, key=lambda p: p.stat().st_mtime).read_text(errors="replace")
