"""What `make report` runs: Snakemake with a short progress display, then one verdict.

Snakemake runs with the project's brief logger (``src/snakemake_logger_plugin_brief``:
a line per finished job and one progress bar, instead of a paragraph per job); the
full detail stays in ``logs/`` and ``.snakemake/log/``. Its output is relayed as it
comes and kept, so that the run can end on one line: where the report is, with sizes
and how to open it, or which step failed, why, and where its log is. Extra arguments
are passed to Snakemake unchanged.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .publish import PUBLISH_FAILED
from .step import FAILURES_FILE

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
    if not path.is_file() or _stamp(path) == before:
        return []
    return [line for line in path.read_text(errors="replace").splitlines() if line.strip()]


def _stamp(path: Path) -> tuple[int, int] | None:
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


def _size(path: Path) -> str:
    size = path.stat().st_size
    for unit in ("bytes", "KiB", "MiB"):
        if size < 1024 or unit == "MiB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def rendered_by(project: Path) -> str | None:
    """What rendered the published report, as its manifest records it."""
    try:
        record = json.loads((project / "reports" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = record.get("rendered_by") if isinstance(record, dict) else None
    return found if isinstance(found, str) else None


def success_lines(project: Path, report_name: str) -> list[str]:
    """Where the report is, how large, what rendered it and how to open it."""
    html = Path("reports") / f"{report_name}.html"
    pdf = Path("reports") / f"{report_name}.pdf"
    lines = ["The report is ready:"]
    for path, what in ((html, "interactive, works offline"), (pdf, "for print")):
        if (project / path).is_file():
            lines.append(f"  {path}  ({_size(project / path)}, {what})")
    renderer = rendered_by(project)
    if renderer and renderer.startswith("Quarto"):
        lines.append(f"Rendered by {renderer}.")
    elif renderer:
        lines.append(
            f"Rendered by {renderer}, the portable fallback (no quarto on PATH, or "
            "RENDER=pandoc); install Quarto 1.7.34 to render with Quarto."
        )
    lines.append(f"Open it with:  xdg-open {html}   (macOS: open {html})")
    lines.append("Step logs are in logs/; Snakemake's own log in .snakemake/log/.")
    return lines


def report_name(project: Path) -> str:
    """The report's stem, from the config (``report.name``)."""
    import yaml

    config = yaml.safe_load((project / "config" / "config.yaml").read_text(encoding="utf-8"))
    return str(config["report"]["name"])


def _relay(command: list[str], cwd: Path, write: Callable[[bytes], object]) -> tuple[int, str]:
    """Run ``command``, passing its output on as it comes; return status and output.

    On a terminal the command runs on a pseudo-terminal of its own, so the progress
    display stays live; elsewhere (CI logs, files) through a pipe.
    """
    chunks: list[bytes] = []
    if sys.stdout.isatty() and os.name == "posix":
        import pty

        def read(fd: int) -> bytes:
            data = os.read(fd, 4096)
            chunks.append(data)
            return data

        previous = Path.cwd()
        os.chdir(cwd)
        try:
            status = pty.spawn(command, read)
        finally:
            os.chdir(previous)
        code = os.waitstatus_to_exitcode(status)
    else:
        with subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        ) as process:
            assert process.stdout is not None
            for data in iter(lambda: process.stdout.read1(4096), b""):
                chunks.append(data)
                write(data)
        code = process.returncode
    return code, b"".join(chunks).decode("utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    quiet_success = "--quiet-success" in args
    args = [a for a in args if a != "--quiet-success"]
    project = Path.cwd()
    # A run that was killed leaves its half-made outputs marked incomplete: make them again.
    # The `run:` jobs run in this process's worker threads, so the package is imported
    # once per run, not once per job.
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "--force-use-threads",
        "--logger",
        "brief",
        "--rerun-incomplete",
        *args,
    ]
    # Snakemake finds the brief logger (src/snakemake_logger_plugin_brief) on the path.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(project / "src"), os.environ.get("PYTHONPATH", "")) if p
    )

    def write(data: bytes) -> None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()

    from .recovery import recover

    # A killed run leaves its lock and scratch files: clear them, unless a run is alive.
    recovered = recover(project)
    if recovered.summary():
        print(recovered.summary(), file=sys.stderr if recovered.running else sys.stdout, flush=True)
    if recovered.running:
        return 1
    logs_before, verdicts_before = run_logs(project), _stamp(project / FAILURES_FILE)
    code, output = _relay(command, project, write)
    if code == 0:
        if not quiet_success:
            print("\n" + "\n".join(success_lines(project, report_name(project))))
        return 0
    verdicts = recorded_verdicts(project, verdicts_before)
    line = failure_line(output, new_run_log(project, logs_before), project, verdicts)
    print("\n" + line, file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
