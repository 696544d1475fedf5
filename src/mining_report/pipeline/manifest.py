"""reports/manifest.json: the sha256 of every raw input and every output, and the tools."""

from __future__ import annotations

import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from mining_report.errors import ProvenanceError
from mining_report.raw.provenance import sha256_of

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


class InputsChanged(ProvenanceError):
    """A raw file is not the one the build validated: it changed during the build."""


def inputs_as_read(summaries: list[Path], raw: list[Path]) -> dict[str, dict[str, Any]]:
    """Each raw file (CSV and sidecar) with the sha256 and size of the bytes its
    validation read, from the validation summaries.

    The build read those bytes, whatever the files hold now; a file that no longer
    has them changed while the report was built (a hand edit, a copy), so the
    report would misstate its inputs: that stops the run before anything is
    published.
    """
    read: dict[str, dict[str, Any]] = {}
    for summary in summaries:
        record = json.loads(summary.read_text(encoding="utf-8"))
        read[record["file"]] = {"sha256": record["sha256"], "bytes": record["bytes"]}
        read[record["sidecar"]] = {
            "sha256": record["sidecar_sha256"],
            "bytes": record["sidecar_bytes"],
        }
    missing = [str(path) for path in raw if str(path) not in read]
    if missing:
        raise InputsChanged(f"{missing[0]}: no validation read it in this build")
    for path in raw:
        now = sha256_of(path)
        if now != read[str(path)]["sha256"]:
            raise InputsChanged(
                f"{path}: changed while the report was built (validated as sha256 "
                f"{read[str(path)]['sha256'][:12]}…, now {now[:12]}…); nothing was "
                "published: run the build again"
            )
    return {str(path): read[str(path)] for path in raw}


def manifest(
    raw: list[Path] | dict[str, dict[str, Any]],
    outputs: list[Path],
    versions: dict[str, str],
    published: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Paths as given (relative to the project), sorted, with their sha256 and size.

    ``raw`` is a list of files to hash, or the entries :func:`inputs_as_read` gives.

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

    raw_inputs = (
        {path: raw[path] for path in sorted(raw)} if isinstance(raw, dict) else entries(raw)
    )
    return {"raw_inputs": raw_inputs, "outputs": entries(outputs), "tools": versions}
