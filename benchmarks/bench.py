"""Time the pipeline where it counts; print a table of medians, ratios and sizes.

Run with `make bench`. Every case runs in a temporary copy of the project (never
in the working tree), with HOME pointed at a temporary folder:

- cold:      a full build from raw data (the environment already installed);
- no-op:     `snakemake` again with nothing changed;
- edit:      one raw table (events) edited, its sidecar re-signed, rebuilt;
- rows x100: the daily Coin Metrics fields grown to 100 times their rows with synthetic
  earlier days
             (the real rows repeated, dates moved back; the daily window in the
             copy's vocabularies widened to admit them, and the copy's cross-check
             with CCAF opened, since synthetic days cannot agree with it), then a
             full build.

Targets on 2 cores: cold <= 20 s, no-op <= 1.5 s, edit <= 40 % of cold,
rows x100 <= 1.5 x cold with the HTML at most 5 % larger.
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
    command = [sys.executable, "-m", "snakemake", "--cores", "2", "--quiet", "all",
               "--config", "render_engine=pandoc"]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"snakemake failed in {project}:\n{done.stderr[-3000:]}")
    return elapsed


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

    csv = project / "data/raw/coinmetrics/btc_daily_source_fields.csv"
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
    schemas = project / "src/mining_report/schemas/raw.py"
    old = "NETWORK_HASHRATE_TOLERANCE = 0.01"
    assert old in schemas.read_text(), "schemas/raw.py changed: update the benchmark"
    schemas.write_text(schemas.read_text().replace(old, "NETWORK_HASHRATE_TOLERANCE = 100.0"))


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (median)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mining-bench-"))
    env = dict(os.environ, HOME=str(work / "home"), XDG_CACHE_HOME=str(work / "cache"))
    env.pop("PYTHONPATH", None)
    try:
        cold, noop, edit, big = [], [], [], []
        for i in range(args.repeat):
            project = copy_project(work / f"cold{i}")
            cold.append(run(project, env))
            noop.append(run(project, env))
            noop.append(run(project, env))
            edit_events(project, i + 1)
            edit.append(run(project, env))
        html = (work / "cold0/reports/crackdown.html").stat().st_size
        pdf = (work / "cold0/reports/crackdown.pdf").stat().st_size
        for i in range(args.repeat):
            project = copy_project(work / f"big{i}")
            grow_daily(project, 100)
            big.append(run(project, env))
        big_html = (work / "big0/reports/crackdown.html").stat().st_size
        cold_m = median(cold)
        rows = [
            ("cold build", median(cold), 1.0, "<= 20 s"),
            ("no-op run", median(noop), median(noop) / cold_m, "<= 1.5 s"),
            ("edit one raw table", median(edit), median(edit) / cold_m, "<= 0.40 x cold"),
            ("btc_daily rows x100", median(big), median(big) / cold_m, "<= 1.5 x cold"),
        ]
        print(f"{'case':<22}{'median s':>10}{'x cold':>9}  target")
        for name, seconds, ratio, target in rows:
            print(f"{name:<22}{seconds:>10.2f}{ratio:>9.2f}  {target}")
        growth = (big_html / html - 1) * 100
        print(f"\nHTML {html / 1024:.0f} KiB, PDF {pdf / 1024:.0f} KiB; with rows x100 the HTML")
        print(f"is {big_html / 1024:.0f} KiB ({growth:+.1f} %, target <= +5 %)")
        print(f"runs per case: {args.repeat} (no-op: {len(noop)})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
