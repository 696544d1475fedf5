"""Publish the report only when the whole run succeeded, HTML and PDF together.

The render rules write into the build folder (``reports/_build/``); the manifest
rule, which needs every table, chart and both renders, records their sha256 last.
When Snakemake reports success, :func:`publish_report` checks the build against
that manifest and only then replaces the published files, each by an atomic move
from a copy beside it. A failed or partial run never touches the published pair.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from mining_report.raw.provenance import sha256_of


class NotPublished(Exception):
    """The build folder does not hold one complete, consistent report."""


def check_build(files: Mapping[str, str], manifest: str | Path, root: Path = Path(".")) -> None:
    """Every built file must be the one the manifest recorded under its published name.

    Paths are relative to the project folder ``root``, as the manifest records them.
    """
    manifest = root / manifest
    if not manifest.is_file():
        raise NotPublished(f"{manifest}: missing, so the build is not complete")
    try:
        outputs = json.loads(manifest.read_text(encoding="utf-8"))["outputs"]
    except (ValueError, KeyError) as err:
        raise NotPublished(f"{manifest}: not a manifest ({err})") from err
    for built, published in files.items():
        entry = outputs.get(published)
        path = root / built
        if not path.is_file() or entry is None or entry["sha256"] != sha256_of(path):
            raise NotPublished(f"{built}: not the file {manifest} records for {published}")


def publish_report(
    files: Mapping[str, str],
    manifest: str | Path,
    published_manifest: str,
    root: Path = Path("."),
) -> bool:
    """Copy the build's report files and manifest to their published names.

    ``files`` maps each built file to its published path. Returns False when the
    published files already are the build's (nothing to do). Each copy is written
    to a hidden ``.part`` file beside its target and moved into place; the moves
    happen only after every copy is complete, so the pair changes together.
    """
    check_build(files, manifest, root)
    changed = _differing(files, manifest, published_manifest, root)
    if not changed:
        return False
    staged: dict[Path, Path] = {}
    try:
        for built, target in changed.items():
            part = target.with_name(f".{target.name}.publish.part")
            staged[part] = target  # before the copy: a copy cut short is removed too
            shutil.copyfile(built, part)
            with open(part, "rb") as handle:
                os.fsync(handle.fileno())
            os.chmod(part, 0o644)
        for part, target in staged.items():
            os.replace(part, target)
    finally:
        for part in staged:
            part.unlink(missing_ok=True)
    return True


def _differing(
    files: Mapping[str, str], manifest: str | Path, published_manifest: str, root: Path
) -> dict[Path, Path]:
    """Built file → published path, for each published file that is not the build's."""
    pairs = {root / built: root / published for built, published in files.items()}
    pairs[root / manifest] = root / published_manifest
    return {
        built: published
        for built, published in pairs.items()
        if not published.is_file() or sha256_of(published) != sha256_of(built)
    }


def out_of_date(
    files: Mapping[str, str],
    manifest: str | Path,
    published_manifest: str,
    root: Path = Path("."),
) -> bool:
    """True when the build is complete but what is published is not it (a published
    file deleted or edited, or a publish cut short): then the next run republishes."""
    try:
        check_build(files, manifest, root)
    except NotPublished:
        return False
    return bool(_differing(files, manifest, published_manifest, root))
