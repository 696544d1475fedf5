"""Time the pipeline where it counts; print a table of medians, ratios and targets.

Run with `make bench`. Every case runs in a temporary copy of the project (never
in the working tree), with HOME pointed at a temporary folder, on the pandoc engine:

- snakemake --version: Snakemake's own start-up, the yardstick of a no-op run;
- floor:     the same jobs as a cold build, with the same arguments, replayed one
             after another in ONE Python process (benchmarks/floor.py; the build
             records its jobs), outputs checked identical: the yardstick of a cold build;
- cold:      a full build from raw data (the environment already installed);
- no-op:     `snakemake` again with nothing changed; beside it, the no-op of a
             workflow of one rule and one file: what Snakemake itself adds to its
             start-up to read any workflow and find nothing to do;
- edit:      one raw table (events) edited, its sidecar re-signed, rebuilt; and the
             jobs it reran replayed in one process, beside the floor (how much of a
             cold build's work an edit must redo);
- suite:     the README's test command (`pytest`, with CI=true), once;
- render:    the render job of the cold build replayed alone with each engine: Quarto
             (both formats in one run), beside the pandoc fallback's render of the
             report and Quarto's render of a one-paragraph document to both formats
             (its own fixed start-up); and the sizes of both engines' HTML and PDF
             (only where quarto is on PATH);
- rows x100: the daily Coin Metrics fields grown to 100 times their rows with
             synthetic earlier days (the real rows repeated, dates moved back; the
             daily window in the copy's vocabularies widened to admit them, and the
             copy's cross-check with CCAF opened, since synthetic days cannot agree
             with it), then a full build (--rows; off by default, it takes minutes).

Targets on 2 cores: cold <= 2 x floor, edit <= 0.35 x cold, no-op <= 1.2 x
`snakemake --version`, suite <= 120 s; Quarto's render <= 1.2 x (one-paragraph
render + pandoc render); each engine's HTML <= 1.5 MiB; rows x100 <= 1.5 x cold with the
HTML at most 5 % larger.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".git", ".venv", ".tools", ".snakemake", "logs", "interim", "_build", "figures",
        "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "benchmarks"}  # fmt: skip
OUTPUT_SUFFIXES = (".html", ".pdf", ".parquet")


def copy_project(target: Path) -> Path:
    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = {n for n in names if n in SKIP}
        if Path(directory).name in {"processed", "reports"}:
            skipped |= {n for n in names if n.endswith(OUTPUT_SUFFIXES)}
            skipped |= {n for n in names if n.endswith(".csv") or n in {"validation",
                        "_variables.yml", "manifest.json"}}  # fmt: skip
        return skipped

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def run(project: Path, env: dict[str, str]) -> float:
    command = [sys.executable, "-m", "snakemake", "--force-use-threads",
               "--cores", "2", "--quiet", "all",
               "--config", "render_engine=pandoc"]  # fmt: skip
    return timed(command, project, env)


#: The smallest workflow there is, for what a no-op costs Snakemake on its own.
ONE_RULE = 'rule one:\n    output:\n        "one.txt"\n    shell:\n        "echo one > {output}"\n'


def one_rule_workflow(target: Path, env: dict[str, str]) -> Path:
    target.mkdir()
    (target / "Snakefile").write_text(ONE_RULE)
    timed(
        [sys.executable, "-m", "snakemake", "--force-use-threads", "--cores", "1", "--quiet"],
        target,
        env,
    )
    return target


def resign(csv: Path) -> None:
    meta = csv.with_name(csv.stem + ".meta.yml")
    lines = meta.read_text().splitlines()
    digest = hashlib.sha256(csv.read_bytes()).hexdigest()
    signed = [f"sha256: {digest}" if line.startswith("sha256:") else line for line in lines]
    meta.write_text("\n".join(signed) + "\n")


def edit_events(project: Path, round_: int) -> None:
    csv = project / "data/raw/press/events.csv"
    text = csv.read_bytes()
    marker = b"public comment open until 3 March."
    csv.write_bytes(text.replace(marker, marker[:-1] + b" " * (round_ % 2) + b".", 1)
                    if round_ % 2 else text.replace(b" .", b".", 1))  # fmt: skip
    resign(csv)


def grow_daily(project: Path, factor: int) -> None:
    """Synthetic earlier days: the real Coin Metrics fields repeated, dated back day by day."""
    import pandas as pd

    csv = project / "data/raw/coinmetrics/coinmetrics_btc_daily.csv"
    real = pd.read_csv(csv, dtype=str)
    extra = pd.concat([real] * (factor - 1), ignore_index=True)
    start = pd.Timestamp(real["date"].iloc[0]) - pd.Timedelta(days=len(extra))
    extra["date"] = pd.date_range(start, periods=len(extra), freq="D").strftime("%Y-%m-%d")
    pd.concat([extra, real]).to_csv(csv, index=False, lineterminator="\r\n")
    resign(csv)
    vocab = project / "src/mining_report/vocabularies.py"
    old = 'DAILY_START = pd.Timestamp("2020-01-01")'
    assert old in vocab.read_text(), "vocabularies.py changed: update the benchmark"
    vocab.write_text(
        vocab.read_text().replace(old, f'DAILY_START = pd.Timestamp("{start:%Y-%m-%d}")')
    )
    # The repeated days fall in CCAF's first months (2019), where the cross-check holds
    # CCAF's EH/s to Coin Metrics' hashrate within 1 %: synthetic days cannot match, and
    # this case measures scale, not agreement, so the copy's tolerance is opened wide.
    schemas = project / "src/mining_report/raw/models/ranges.py"
    old = "NETWORK_HASHRATE_TOLERANCE = 0.01"
    assert old in schemas.read_text(), "schemas/raw/ranges.py changed: update the benchmark"
    schemas.write_text(schemas.read_text().replace(old, "NETWORK_HASHRATE_TOLERANCE = 100.0"))


#: A one-paragraph Quarto document in both of the report's formats: Quarto's own
#: fixed cost of a render.
ONE_PARAGRAPH = (
    "---\ntitle: One paragraph\nformat:\n  html: default\n  typst: default\n---\n\nOne paragraph.\n"
)


def render_rows(project: Path, records: Path, work: Path, env: dict[str, str], repeat: int):
    """The render job of a cold build replayed with each engine; Quarto's one paragraph."""
    one = work / "one-paragraph"
    one.mkdir()
    (one / "one.qmd").write_text(ONE_PARAGRAPH)
    replay = [sys.executable, str(ROOT / "benchmarks/floor.py"), str(records), "--only", "render"]
    quarto, pandoc, paragraph, sizes = [], [], [], {}
    for _ in range(repeat):
        pandoc.append(timed([*replay, "--set", "engine=pandoc"], project, env))
        sizes["pandoc"] = [(project / f"reports/_build/crackdown.{x}").stat().st_size
                           for x in ("html", "pdf")]  # fmt: skip
        quarto.append(timed([*replay, "--set", "engine=quarto"], project, env))
        sizes["Quarto"] = [(project / f"reports/_build/crackdown.{x}").stat().st_size
                           for x in ("html", "pdf")]  # fmt: skip
        paragraph.append(timed(["quarto", "render", "one.qmd", "--to", "all"], one, env))
    yardstick = median(paragraph) + median(pandoc)
    rows = [
        ("render, Quarto", median(quarto), f"{median(quarto) / yardstick:.2f} x (1 + 2)",
         "<= 1.2 x (one paragraph + pandoc)"),
        ("  1 one paragraph", median(paragraph), "", "(Quarto's own start-up)"),
        ("  2 pandoc render", median(pandoc), "", "(the fallback, both formats)"),
    ]  # fmt: skip
    for engine, (html, pdf) in sizes.items():
        target = "HTML <= 1.5 MiB"
        rows.append((f"  size, {engine}", None, f"HTML {html / 2**20:.2f} MiB, PDF "
                     f"{pdf / 2**10:.0f} KiB", target))  # fmt: skip
    return rows


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[:4])} failed in {cwd}:\n{done.stderr[-3000:]}")
    return elapsed


BUILT = ("data/processed", "data/interim", "reports/_build", "reports/figures", "reports/data")


def digests(project: Path) -> dict[str, str]:
    return {
        str(path.relative_to(project)): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in BUILT
        for path in sorted((project / folder).rglob("*"))
        if path.is_file()
    }


def floor(
    records: Path, built: Path, target: Path, env: dict[str, str], start: Path | None = None
) -> float:
    """The recorded jobs of ``built`` replayed in one process in a fresh copy (or in a
    copy of ``start``, the project as the recorded run found it)."""
    if start is None:
        project = copy_project(target)
    else:
        project = Path(shutil.copytree(start, target, symlinks=True))
    seconds = timed([sys.executable, str(ROOT / "benchmarks/floor.py"), str(records)],
                    project, env)  # fmt: skip
    expected, replayed = digests(built), digests(project)
    differ = sorted(p for p in expected if replayed.get(p) != expected[p])
    if differ:
        sys.exit(f"the floor's outputs differ from the build's: {differ[:5]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (median)")
    parser.add_argument("--no-suite", action="store_true", help="leave out the test suite")
    parser.add_argument("--rows", action="store_true", help="also time rows x100")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mining-bench-"))
    env = dict(os.environ, HOME=str(work / "home"), XDG_CACHE_HOME=str(work / "cache"))
    env.pop("PYTHONPATH", None)
    try:
        version, floors, cold, noop, edit, edit_floors, big = [], [], [], [], [], [], []
        smallest, small_noop = one_rule_workflow(work / "one-rule", env), []
        for i in range(args.repeat):
            project = copy_project(work / f"cold{i}")
            records = work / f"jobs{i}"
            records.mkdir()
            version.append(
                timed(
                    [sys.executable, "-m", "snakemake", "--force-use-threads", "--version"],
                    project,
                    env,
                )
            )
            cold.append(run(project, dict(env, MINING_REPORT_RECORD_JOBS=str(records))))
            floors.append(floor(records, project, work / f"floor{i}", env))
            noop.append(run(project, env))
            version.append(
                timed(
                    [sys.executable, "-m", "snakemake", "--force-use-threads", "--version"],
                    project,
                    env,
                )
            )
            noop.append(run(project, env))
            small_noop.append(timed([sys.executable, "-m", "snakemake", "--force-use-threads",
                                     "--cores", "2",
                                     "--quiet"], smallest, env))  # fmt: skip
            edit_events(project, i + 1)
            before = Path(shutil.copytree(project, work / f"before-edit{i}", symlinks=True))
            edited = work / f"edit-jobs{i}"
            edited.mkdir()
            edit.append(run(project, dict(env, MINING_REPORT_RECORD_JOBS=str(edited))))
            edit_floors.append(floor(edited, project, work / f"edit-floor{i}", env, before))
        html = (work / "cold0/reports/crackdown.html").stat().st_size
        pdf = (work / "cold0/reports/crackdown.pdf").stat().st_size
        cold_m, version_m, floor_m = median(cold), median(version), median(floors)
        rows = [
            ("snakemake --version", version_m, "", ""),
            ("floor (one process)", floor_m, "", ""),
            ("cold build", cold_m, f"{cold_m / floor_m:.2f} x floor", "<= 2 x floor"),
            ("no-op run", median(noop), f"{median(noop) / version_m:.2f} x version",
             "<= 1.2 x version"),
            ("  one-rule workflow", median(small_noop),
             f"{median(small_noop) / version_m:.2f} x version", "(Snakemake's own no-op)"),
            ("edit one raw table", median(edit), f"{median(edit) / cold_m:.2f} x cold",
             "<= 0.35 x cold"),
            ("  its jobs, one process", median(edit_floors),
             f"{median(edit_floors) / floor_m:.2f} x floor", "(the edit's own work)"),
        ]  # fmt: skip
        if shutil.which("quarto"):
            rows += render_rows(work / "cold0", work / "jobs0", work, env, args.repeat)
        else:
            rows.append(("render, Quarto", None, "not measured: no quarto on PATH", ""))
        if not args.no_suite:
            suite_env = dict(os.environ, CI="true")
            suite_env.pop("PYTHONPATH", None)
            pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
            suite = timed(pytest, ROOT, suite_env)
            rows.append(("test suite (CI=true)", suite, "", "<= 120 s"))
        if args.rows:
            for i in range(args.repeat):
                project = copy_project(work / f"big{i}")
                grow_daily(project, 100)
                big.append(run(project, env))
            growth = ((work / "big0/reports/crackdown.html").stat().st_size / html - 1) * 100
            rows.append(("btc_daily rows x100", median(big),
                         f"{median(big) / cold_m:.2f} x cold, HTML {growth:+.1f} %",
                         "<= 1.5 x cold, HTML <= +5 %"))  # fmt: skip
        print(f"{'case':<22}{'median s':>10}  {'ratio':<28}target")
        for name, seconds, ratio, target in rows:
            shown = "" if seconds is None else f"{seconds:.2f}"
            print(f"{name:<22}{shown:>10}  {ratio:<28}{target}")
        print(f"\nHTML {html / 1024:.0f} KiB, PDF {pdf / 1024:.0f} KiB")
        print(f"runs per case: {args.repeat} (no-op and --version: {len(noop)})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
