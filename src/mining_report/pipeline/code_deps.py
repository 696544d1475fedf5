"""The package's code each job runs, found by reading the import statements.

Snakemake reruns a job when its rule's code changes, not when the package code it
calls does; each job lists the modules it imports, found by reading the import
statements (also those inside functions), and everything they import in turn
(``code_files``, which the workflow gives each job as input). The modules are named
relative to the package ("io", "raw.models"); the catalog also reaches every module
the registry names, and the registry itself is left out.

Like the registry, this module imports nothing heavier than the standard library: the
Snakefile reads it on every run, including a no-op one.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from mining_report.registry import PACKAGE, TABLES, module_of

PACKAGE_DIR = Path(__file__).resolve().parents[1]

_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<from>\.+[\w.]*|mining_report[\w.]*)[ \t]+import[ \t]+"
    r"(?P<names>\([^)]*\)|[^\n#]+)|import[ \t]+(?P<plain>mining_report[\w.]*))",
    re.MULTILINE,
)


@cache
def _module_file(module: str) -> Path | None:
    """The source file of a package module ("charts" or "raw.models"), if it has one."""
    base = PACKAGE_DIR.joinpath(*module.split(".")) if module else PACKAGE_DIR
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def _imported(module: str) -> frozenset[str]:
    """The package modules one module imports, relative to the package ("io")."""
    path = _module_file(module)
    if path is None:
        return set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for match in _IMPORT.finditer(path.read_text(encoding="utf-8")):
        if match["plain"]:
            found.add(match["plain"].removeprefix(PACKAGE).lstrip("."))
            continue
        origin = match["from"]
        if origin.startswith("."):
            dots = len(origin) - len(origin.lstrip("."))
            parts = package.split(".") if package else []
            base = ".".join(parts[: len(parts) - (dots - 1)] if dots > 1 else parts)
            rest = origin.lstrip(".")
            origin = ".".join(p for p in (base, rest) if p)
        else:
            origin = origin.removeprefix(PACKAGE).lstrip(".")
        names = match["names"].strip("() \t\n").replace("\n", " ")
        if origin:
            found.add(origin)
        # "from . import charts" and "from mining_report.raw import models" name modules too.
        for name in names.split(","):
            name = name.strip().split(" as ")[0].strip()
            child = f"{origin}.{name}" if origin else name
            if name and _module_file(child) is not None:
                found.add(child)
    if module == "derive.catalog":
        # The catalog imports every module the registry names, through ``resolve``.
        found |= {module_of(t.derive) for t in TABLES.values()}
        found |= {module_of(t.model) for t in TABLES.values()}
    return frozenset(m for m in found if _module_file(m) is not None)


@cache
def imports_of(*modules: str) -> frozenset[str]:
    """The package modules ``modules`` need, themselves included, transitively; and
    the package itself ("", its ``__init__``), which Python runs first."""
    seen: set[str] = {""}
    todo = [m for m in modules if _module_file(m) is not None]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(_imported(module) - seen)
        # Importing raw.models runs raw/__init__.py first.
        parent = module.rpartition(".")[0]
        if parent:
            todo.append(parent)
    return frozenset(seen)


def code_files(*modules: str) -> list[str]:
    """The source files of ``modules`` and all they import, relative to the project
    folder, as the Snakefile names files.

    The registry itself is left out: a job's own entry reaches it as its inputs and
    params, which Snakemake compares on every run, so adding or changing one entry
    reruns that table's job, not every job.
    """
    return list(_code_files(modules))


@cache
def _code_files(modules: tuple[str, ...]) -> tuple[str, ...]:
    project = PACKAGE_DIR.parents[1]
    files = {_module_file(m) for m in imports_of(*modules) - {"registry"}}
    return tuple(sorted(str(f.relative_to(project)) for f in files if f is not None))
