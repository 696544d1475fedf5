"""The package is laid out as the pipeline runs: a module's stage is its folder, and
imports run one way, from a stage to earlier stages and the shared helpers.

The stages, in order: ``raw`` (snapshots, provenance, validation, refresh), ``derive``
(the cleaned tables), ``numbers`` (the numbers the report quotes, with their
lineage), ``charts``, ``report`` (references, tables, rendering, site) and
``pipeline`` (the jobs, launcher, planning, publishing, recovery). A module directly
in ``mining_report/`` is a shared helper, imported by any stage and importing only
other shared helpers.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "mining_report"
STAGES = ["raw", "derive", "numbers", "charts", "report", "pipeline"]
#: "~400 lines": a module may run a little over, not far.
MAX_LINES = 420


def modules() -> dict[str, Path]:
    """Dotted name (below the package) -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def stage_of(module: str) -> int:
    """0 for a shared helper, else 1 + the stage's place in the order."""
    first = module.split(".")[0]
    return STAGES.index(first) + 1 if first in STAGES and "." in module else 0


def imports_of(path: Path, module: str) -> set[str]:
    """The package modules a file imports (absolute or relative), below the package."""
    found = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".") if package else []
                base = parts[: len(parts) - (node.level - 1)]
                origin = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.startswith("mining_report"):
                origin = node.module.removeprefix("mining_report").lstrip(".")
            else:
                continue
            for alias in node.names:
                child = f"{origin}.{alias.name}" if origin else alias.name
                found.add(child if child in modules() else origin)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("mining_report."):
                    found.add(alias.name.removeprefix("mining_report."))
    return {m for m in found if m}


def test_every_module_is_a_shared_helper_or_in_a_stage() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(STAGES), folders - set(STAGES)


def test_imports_run_from_a_stage_to_earlier_ones_only() -> None:
    wrong = []
    for module, path in modules().items():
        for imported in imports_of(path, module):
            if stage_of(imported) > stage_of(module) and module:
                wrong.append(f"{module} (stage {stage_of(module)}) imports {imported}")
    assert not wrong, "\n".join(wrong)


def test_the_rule_sees_a_backward_import() -> None:
    """The check itself: a derive module importing a chart module is caught."""
    assert stage_of("charts.output") > stage_of("derive.prices")
    assert stage_of("io") == 0 and stage_of("raw") == 0


def test_no_module_is_much_over_four_hundred_lines() -> None:
    long = {m: n for m, p in modules().items()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}  # fmt: skip
    assert not long, long
