"""Raw snapshots: every raw CSV has a YAML sidecar naming its origin and checksum."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ProvenanceError

REQUIRED_FIELDS = ("title", "producer", "url", "accessed", "licence", "sha256")


@dataclass(frozen=True)
class Snapshot:
    """A raw table file together with its parsed provenance sidecar."""

    path: Path
    meta: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.stem


def sidecar_path(raw_csv: str | Path) -> Path:
    """The sidecar of ``data/raw/x/t.csv`` is ``data/raw/x/t.meta.yml``."""
    raw_csv = Path(raw_csv)
    return raw_csv.with_name(raw_csv.stem + ".meta.yml")


def sha256_of(path: str | Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_sidecar(raw_csv: str | Path) -> dict[str, Any]:
    """Parse the sidecar of ``raw_csv`` and check that the required fields are filled."""
    meta_path = sidecar_path(raw_csv)
    if not meta_path.exists():
        raise ProvenanceError(
            f"{raw_csv}: no provenance sidecar; expected {meta_path} "
            f"with the fields {', '.join(REQUIRED_FIELDS)}"
        )
    try:
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ProvenanceError(f"{meta_path}: not readable as YAML ({err})") from err
    if not isinstance(meta, dict):
        raise ProvenanceError(
            f"{meta_path}: expected a mapping of fields, found {type(meta).__name__}"
        )
    missing = [field for field in REQUIRED_FIELDS if not meta.get(field)]
    if missing:
        raise ProvenanceError(f"{meta_path}: missing or empty field(s): {', '.join(missing)}")
    return meta


def load_sidecars(raw_csvs: list[str] | list[Path]) -> dict[str, dict[str, Any]]:
    """Raw table name (the CSV's stem) → its parsed sidecar."""
    return {Path(csv).stem: load_sidecar(csv) for csv in raw_csvs}


def open_snapshot(raw_csv: str | Path) -> Snapshot:
    """Return the snapshot after checking the file against its sidecar's sha256."""
    raw_csv = Path(raw_csv)
    meta = load_sidecar(raw_csv)
    actual = sha256_of(raw_csv)
    expected = str(meta["sha256"]).strip().lower()
    if actual != expected:
        raise ProvenanceError(
            f"{raw_csv}: sha256 does not match its sidecar {sidecar_path(raw_csv)}\n"
            f"  sidecar says: {expected}\n"
            f"  file has:     {actual}\n"
            "  If the new content is a deliberate new snapshot, update the sidecar "
            "(sha256, accessed, notes) in the same commit."
        )
    return Snapshot(path=raw_csv, meta=meta)
