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
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from mining_report.run_log import (
    FAILURES_FILE,
    failure_line,
    new_run_log,
    recorded_verdicts,
    run_logs,
    stamp_of,
)


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

    def write(data: bytes) -> None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()

    from mining_report.pipeline.recovery import recover

    # A killed run leaves its lock and scratch files: clear them, unless a run is alive.
    recovered = recover(project)
    if recovered.summary():
        print(recovered.summary(), file=sys.stderr if recovered.running else sys.stdout, flush=True)
    if recovered.running:
        return 1
    logs_before, verdicts_before = run_logs(project), stamp_of(project / FAILURES_FILE)
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
