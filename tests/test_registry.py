"""The registry: one declaration per cleaned table and chart, and the code each job runs."""

from __future__ import annotations

import ast
import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandera.pandas as pa
import pytest
import yaml

from mining_report import registry
from mining_report.registry import CHARTS, TABLES, imports_of, resolve

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "mining_report"
SRC_ONLY = {"PYTHONPATH": str(ROOT / "src")}
RAW_TABLES = yaml.safe_load((ROOT / "config/config.yaml").read_text())["raw_tables"]


def required(function) -> set[str]:
    return {
        name
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.default is inspect.Parameter.empty
    }


@pytest.mark.parametrize("name", sorted(TABLES))
def test_a_table_entry_matches_its_function_and_model(name: str) -> None:
    table = TABLES[name]
    derive, model = resolve(table.derive), resolve(table.model)
    parameters = set(inspect.signature(derive).parameters)
    declared = set(table.inputs) | set(table.options)
    # Every argument without a default is declared, and nothing declared is unused.
    assert required(derive) <= declared <= parameters, (required(derive), declared)
    assert issubclass(model, pa.DataFrameModel)
    assert model.to_schema().unique, f"{model.__name__} declares no key"
    for source in table.inputs.values():
        if source.kind == "raw":
            assert source.name in RAW_TABLES
        elif source.kind == "cleaned":
            assert source.name in TABLES and source.name != name


def test_the_inputs_of_the_tables_form_no_cycle() -> None:
    order: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"cycle: {' -> '.join((*path, name))}"
        for source in TABLES[name].inputs.values():
            if source.kind == "cleaned":
                visit(source.name, (*path, name))
        order.append(name)

    for name in TABLES:
        visit(name, ())


def test_options_name_keys_the_config_has() -> None:
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    for table in TABLES.values():
        values = table.option_values(config)
        assert set(values) == set(table.options)
        assert all(value not in (None, "", {}) for value in values.values()), table.name


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_a_chart_entry_matches_its_function(name: str) -> None:
    chart = CHARTS[name]
    draw = resolve(chart.draw)
    assert required(draw) == set(chart.inputs)
    assert set(chart.inputs) <= set(TABLES)


def test_raw_sources_follow_the_inputs_through_other_tables() -> None:
    # shutdown_exposure <- events and hashrate_by_province <- cbeci_provinces and
    # hashrate_by_country <- cbeci_countries.
    assert registry.raw_sources("shutdown_exposure") == [
        "cbeci_countries", "cbeci_provinces", "events",
    ]  # fmt: skip
    assert registry.raw_sources("price_trends") == [registry.DAILY_SOURCE]
    assert "source_conflicts" in registry.raw_sources("machine_exports")


# The code each job runs ---------------------------------------------------------------


def ast_imports(module: str) -> set[str]:
    """A second reading of a module's package imports, through the syntax tree."""
    path = PACKAGE.joinpath(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name.removeprefix("mining_report.") for a in node.names
                      if a.name.startswith("mining_report.")}  # fmt: skip
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".") if package else []
                base = parts[: len(parts) - node.level + 1]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            elif (node.module or "").startswith("mining_report"):
                origin = node.module.removeprefix("mining_report").lstrip(".")
            else:
                continue
            if origin:
                found.add(origin)
            for alias in node.names:
                child = f"{origin}.{alias.name}" if origin else alias.name
                child_path = PACKAGE.joinpath(*child.split("."))
                if child_path.with_suffix(".py").is_file() or child_path.is_dir():
                    found.add(child)
    return found


def closure(modules: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(modules)
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(ast_imports(module))
            if "." in module:  # a submodule runs its package's __init__ first
                todo.append(module.rpartition(".")[0])
            if module == "catalog":  # resolves every module the registry names
                todo.extend(registry.module_of(t.derive) for t in TABLES.values())
                todo.extend(registry.module_of(t.model) for t in TABLES.values())
    return seen


JOB_MODULES = sorted(
    f"jobs.{p.stem}" for p in (PACKAGE / "jobs").glob("*.py") if p.stem != "__init__"
)
DERIVE_MODULES = sorted({registry.module_of(t.derive) for t in TABLES.values()})


@pytest.mark.parametrize("module", [*JOB_MODULES, *DERIVE_MODULES])
def test_the_code_of_a_job_is_every_module_its_imports_reach(module: str) -> None:
    # The package's __init__ comes first, whatever is imported.
    assert set(imports_of(module)) == closure({module}) | {""}


def test_the_code_of_a_job_covers_what_it_imports_when_it_runs() -> None:
    # Import each job module in a fresh interpreter and list the package modules loaded.
    script = (
        "import importlib, sys\n"
        "importlib.import_module('mining_report.' + sys.argv[1])\n"
        "print('\\n'.join(m for m in sys.modules if m.startswith('mining_report.')))\n"
    )
    for module in ("jobs.report_variables", "jobs.chart", "jobs.derive"):
        done = subprocess.run([sys.executable, "-c", script, module], capture_output=True,
                              text=True, cwd=ROOT, env=SRC_ONLY)  # fmt: skip
        assert done.returncode == 0, done.stderr
        loaded = {m.removeprefix("mining_report.") for m in done.stdout.split()}
        # The derive job resolves its table's function only when it runs.
        assert loaded - {"registry"} <= set(imports_of(module)) | {"jobs"}, module


def test_a_chart_job_does_not_depend_on_the_derivations() -> None:
    # Editing the hashrate derivations reruns those tables, not every chart's code.
    assert "hashrate" not in imports_of("jobs.chart", "charts")
    assert "charts" not in imports_of("jobs.derive", "hashrate")
    assert "variables" not in imports_of("jobs.derive", "shutdowns", "prices", "machines")


def test_the_registry_is_light_to_import() -> None:
    # The Snakefile reads it on every run, a no-op one too.
    script = (
        "import sys, mining_report.registry, mining_report.step\n"
        "print(' '.join(m for m in ('pandas', 'pandera', 'altair', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, env=SRC_ONLY)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


# Adding a table: one entry, one function, one model -----------------------------------

TOY_MODULE = '''"""A table added to test the registry."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .tables import finalize


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
        derive="toy:toy_counts",
        model="toy:ToyCounts",
        inputs={"cbeci_countries": raw("cbeci_countries")},
    )
)
TABLES = {table.name: table for table in _TABLES}
"""


@pytest.mark.pipeline
def test_a_new_table_is_one_entry_one_function_and_one_model(
    built_project: Path, built_env: dict[str, str], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(built_project, project, symlinks=True)
    package = project / "src/mining_report"
    (package / "toy.py").write_text(TOY_MODULE)
    registry_py = package / "registry.py"
    text = registry_py.read_text()
    anchor = "#: Every chart, in the order of the report."
    registry_py.write_text(text.replace(anchor, TOY_ENTRY + "\n" + anchor))
    command = [sys.executable, "-m", "snakemake", "data/processed/datapackage.json", "--cores",
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
        if "catalog" in imports_of(registry.module_of(table.derive))
    }
    assert derived == {"toy_counts"} | catalog_readers
    assert {"hashrate_by_country", "shutdowns", "price_trends"}.isdisjoint(derived)


@pytest.mark.pipeline
def test_editing_a_module_reruns_only_the_jobs_that_import_it(
    built_project: Path, built_env: dict[str, str], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(built_project, project, symlinks=True)
    charts = project / "src/mining_report/charts.py"
    charts.write_text(charts.read_text() + "\n# edited\n")
    command = [sys.executable, "-m", "snakemake", "--cores", "2", "--dry-run", "--config",
               "render_engine=pandoc"]  # fmt: skip
    done = subprocess.run(command, cwd=project, env=built_env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    plan = done.stdout + done.stderr
    stats = dict(
        line.split() for line in plan.split("Job stats:")[1].split("total")[0].splitlines()[3:]
        if line.strip()
    )  # fmt: skip
    assert stats["chart"] == str(len(CHARTS))
    assert "derive" not in stats and "validate_raw_table" not in stats
