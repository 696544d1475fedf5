"""The registry at work: the code each job imports when it runs, a table added by one
entry, and an edited module rerunning only the jobs that import it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from mining_report import registry
from mining_report.pipeline.code_deps import imports_of
from mining_report.registry import CHARTS, TABLES

from conftest import ROOT, install_own_code, resign

#: No variables at all: the package is found because it is installed, from anywhere.
BARE_ENV: dict[str, str] = {}


def test_the_code_of_a_job_covers_what_it_imports_when_it_runs() -> None:
    # Import each job module in a fresh interpreter and list the package modules loaded.
    script = (
        "import importlib, sys\n"
        "importlib.import_module('mining_report.' + sys.argv[1])\n"
        "print('\\n'.join(m for m in sys.modules if m.startswith('mining_report.')))\n"
    )
    jobs = ("report_variables", "numbers", "chart", "derive")
    for module in (f"pipeline.jobs.{job}" for job in jobs):
        done = subprocess.run([sys.executable, "-c", script, module], capture_output=True,
                              text=True, cwd=ROOT, env=BARE_ENV)  # fmt: skip
        assert done.returncode == 0, done.stderr
        loaded = {m.removeprefix("mining_report.") for m in done.stdout.split()}
        # The derive job resolves its table's function only when it runs.
        assert loaded - {"registry"} <= set(imports_of(module)) | {"pipeline.jobs"}, module


def test_the_registry_is_light_to_import() -> None:
    # The Snakefile reads it on every run, a no-op one too.
    script = (
        "import sys, mining_report.registry, mining_report.pipeline.step\n"
        "print(' '.join(m for m in ('pandas', 'pandera', 'altair', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, env=BARE_ENV)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


# Adding a table: one entry, one function, one model -----------------------------------

TOY_MODULE = '''"""A table added to test the registry."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from mining_report.derive.conventions import finalize


class ToyCounts(pa.DataFrameModel):
    """Rows per country in CCAF's country table. Key: country."""

    country: Series[str] = pa.Field(description="Country, as CCAF names it")
    months: Series[int] = pa.Field(ge=1, description="Months with a share")

    class Config:
        strict = True
        unique = ["country"]


def toy_counts(cbeci_countries: pd.DataFrame) -> pd.DataFrame:
    counts = cbeci_countries.groupby("country").size().rename("months").reset_index()
    return finalize(counts, ToyCounts)
'''

TOY_ENTRY = """
_TABLES.append(
    Table(
        "toy_counts",
        "Rows per country in CCAF's country table.",
        derive="derive.toy:toy_counts",
        model="derive.toy:ToyCounts",
        inputs={"cbeci_countries": raw("cbeci_countries")},
    )
)
TABLES = {table.name: table for table in _TABLES}
"""


def test_a_new_table_is_one_entry_one_function_and_one_model(
    built_copy: Path, built_env: dict[str, str]
) -> None:
    project = built_copy
    python = install_own_code(project)  # the copy's registry and module, not ours
    package = project / "src/mining_report"
    (package / "derive/toy.py").write_text(TOY_MODULE)
    registry_py = package / "registry.py"
    text = registry_py.read_text()
    anchor = "#: Every chart, in the order of the report."
    registry_py.write_text(text.replace(anchor, TOY_ENTRY + "\n" + anchor))
    command = [python, "-m", "snakemake", "--force-use-threads",
               "data/processed/datapackage.json", "--cores",
               "2", "--config", "render_engine=pandoc"]  # fmt: skip
    done = subprocess.run(command, cwd=project, env=built_env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    counts = (project / "data/processed/toy_counts.csv").read_text().splitlines()
    assert counts[0] == "country,months" and len(counts) > 5
    dictionary = (project / "data/processed/data_dictionary.csv").read_text()
    assert "toy_counts,months" in dictionary
    package_json = (project / "data/processed/datapackage.json").read_text()
    assert '"name": "toy_counts"' in package_json
    # Besides the new table, only the tables whose code reads the catalog (which
    # resolves every entry's model, the new one's too) are derived again.
    derived = set(re.findall(r"Deriving (\w+)", done.stderr))
    catalog_readers = {
        name
        for name, table in TABLES.items()
        if "derive.catalog" in imports_of(registry.module_of(table.derive))
    }
    assert derived == {"toy_counts"} | catalog_readers
    assert {"hashrate_by_country", "shutdowns", "price_trends"}.isdisjoint(derived)


def planned_jobs(project: Path, env: dict[str, str]) -> tuple[dict[str, str], str]:
    """What a run would do now: the job counts of Snakemake's plan, and the plan."""
    command = [sys.executable, "-m", "snakemake", "--force-use-threads",
               "--cores", "2", "--dry-run", "--config",
               "render_engine=pandoc"]  # fmt: skip
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    plan = done.stdout + done.stderr
    stats = dict(
        line.split() for line in plan.split("Job stats:")[1].split("total")[0].splitlines()[3:]
        if line.strip()
    )  # fmt: skip
    return stats, plan


def test_an_edit_to_the_events_recomputes_only_the_numbers_it_reaches(
    built_copy: Path, built_env: dict[str, str]
) -> None:
    project = built_copy
    events = project / "data/raw/press/events.csv"
    events.write_bytes(events.read_bytes().replace(b"public comment", b"public  comment", 1))
    resign(events)
    stats, plan = planned_jobs(project, built_env)
    groups = set(re.findall(r"Computing the report's numbers on (\w+)", plan))
    # The shutdowns read the events; the conflict ledger quotes them; the data section
    # reports every raw table's validation. Hashrate, prices and press figures do not.
    assert groups == {"shutdowns", "machines", "data"}
    assert stats["numbers"] == "3" and stats["report_variables"] == "1"


def test_editing_a_module_reruns_only_the_jobs_that_import_it(
    built_copy: Path, built_env: dict[str, str]
) -> None:
    project = built_copy
    # Every chart is drawn in the one palette.
    style = project / "src/mining_report/charts/style.py"
    style.write_text(style.read_text() + "\n# edited\n")
    stats, _ = planned_jobs(project, built_env)
    assert stats["chart"] == str(len(CHARTS))
    assert "derive" not in stats and "validate_raw_table" not in stats
