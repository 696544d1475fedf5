"""The registry: one declaration per cleaned table and chart, and the code each job runs."""

from __future__ import annotations

import ast
import inspect
import pkgutil
import re
from importlib import import_module

import pandera.pandas as pa
import pytest
import yaml

from mining_report import registry
from mining_report.pipeline.code_deps import imports_of
from mining_report.registry import CHARTS, NUMBERS, TABLES, resolve

from conftest import ROOT

PACKAGE = ROOT / "src" / "mining_report"
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


@pytest.mark.parametrize("name", sorted(NUMBERS))
def test_a_numbers_entry_matches_its_function(name: str) -> None:
    numbers = NUMBERS[name]
    compute = resolve(numbers.compute)
    declared = set(numbers.inputs) | set(numbers.options)
    if numbers.validations:
        declared |= {"validations", "sidecars"}
    assert required(compute) == declared
    for argument, source in numbers.inputs.items():
        assert argument == source.name  # the lineage names a table by its own name
        assert source.name in (TABLES if source.kind == "cleaned" else RAW_TABLES)


def test_every_group_function_of_the_numbers_is_a_registry_entry() -> None:
    # A group function the registry does not name would compute numbers no job writes.
    # Each is named with the module that defines it.
    from mining_report import numbers

    groups = set()
    for info in pkgutil.iter_modules(numbers.__path__):
        module = import_module(f"mining_report.numbers.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if re.fullmatch(r"\w+_group", name) and function.__module__ == module.__name__:
                groups.add(f"numbers.{info.name}:{name}")
    assert groups == {n.compute for n in NUMBERS.values()}


def test_a_group_of_numbers_names_the_raw_tables_behind_its_tables() -> None:
    # The shutdowns reach back to the events and to CCAF's province and country tables.
    assert NUMBERS["shutdowns"].raw_tables(RAW_TABLES) == [
        "cbeci_countries",
        "cbeci_provinces",
        "events",
    ]
    assert NUMBERS["press"].raw_tables(RAW_TABLES) == ["machine_flows", "source_statements"]
    assert "events" not in NUMBERS["prices"].raw_tables(RAW_TABLES)


def test_raw_sources_follow_the_inputs_through_other_tables() -> None:
    # shutdown_exposure <- events and hashrate_by_province <- cbeci_provinces and
    # hashrate_by_country <- cbeci_countries.
    assert registry.raw_sources("shutdown_exposure") == [
        "cbeci_countries", "cbeci_provinces", "events",
    ]  # fmt: skip
    assert registry.raw_sources("price_trends") == [registry.DAILY_SOURCE]
    assert "conflicting_figures" in registry.raw_sources("machine_exports")


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
CHART_MODULES = sorted({registry.module_of(c.draw) for c in CHARTS.values()})


@pytest.mark.parametrize("module", [*JOB_MODULES, *DERIVE_MODULES, *CHART_MODULES])
def test_the_code_of_a_job_is_every_module_its_imports_reach(module: str) -> None:
    # The package's __init__ comes first, whatever is imported.
    assert set(imports_of(module)) == closure({module}) | {""}


def test_a_chart_job_does_not_depend_on_the_derivations() -> None:
    # Editing the hashrate derivations reruns those tables, not every chart's code.
    assert "hashrate" not in imports_of("jobs.chart", *CHART_MODULES)
    assert not {m for m in imports_of("jobs.derive", "hashrate") if m.startswith("charts")}
    derive = imports_of("jobs.derive", "shutdowns", "prices", "machines")
    assert not {m for m in derive if m == "numbers" or m.startswith("numbers.")}


NUMBER_MODULES = sorted({registry.module_of(n.compute) for n in NUMBERS.values()})


@pytest.mark.parametrize("module", NUMBER_MODULES)
def test_a_group_of_numbers_reads_its_own_module_and_no_other_group(module: str) -> None:
    assert set(imports_of(module)) == closure({module}) | {""}
    # Editing the price numbers recomputes the prices group alone.
    assert imports_of("jobs.numbers", module) & set(NUMBER_MODULES) == {module}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_a_chart_is_drawn_by_its_own_module_and_no_other_figure(name: str) -> None:
    # One name for one chart: its entry, its module and its function.
    assert CHARTS[name].draw == f"charts.{name}:{name}"
    # Editing one figure redraws that chart alone.
    others = {f"charts.{other}" for other in CHARTS if other != name}
    assert not imports_of("jobs.chart", f"charts.{name}") & others
