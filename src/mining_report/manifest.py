"""reports/manifest.json: the sha256 of every raw input and every output, and the tools."""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from .provenance import sha256_of

#: Python packages whose versions shape the outputs.
TOOLS = ("snakemake", "pandas", "pandera", "pyarrow", "altair", "vl-convert-python",
         "pypandoc-binary", "typst")  # fmt: skip


def tool_versions(pandoc: str | None = None) -> dict[str, str]:
    """Versions of the packages above, of Python, and of pandoc when given its path."""
    versions = {"python": platform.python_version()}
    for name in TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    if pandoc:
        first = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
        versions["pandoc"] = first.splitlines()[0].split()[-1] if first else "unknown"
    return versions


def manifest(
    raw: list[Path],
    outputs: list[Path],
    versions: dict[str, str],
    published: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Paths as given (relative to the project), sorted, with their sha256 and size.

    ``published`` names a built file by the path it is published to (the report
    is rendered in reports/_build/ and copied to reports/ when the run succeeds).
    """
    names = published or {}

    def entries(paths: list[Path]) -> dict[str, dict[str, Any]]:
        return {
            names.get(str(path), str(path)): {
                "sha256": sha256_of(path),
                "bytes": path.stat().st_size,
            }
            for path in sorted(paths, key=lambda p: names.get(str(p), str(p)))
        }

    return {"raw_inputs": entries(raw), "outputs": entries(outputs), "tools": versions}
