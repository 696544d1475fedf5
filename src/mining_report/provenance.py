"""Raw snapshots: every raw CSV has a YAML sidecar naming its origin and checksum."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ProvenanceError

REQUIRED_FIELDS = ("title", "producer", "url", "accessed", "licence", "sha256")

#: The sidecar's schema, checked once when it is loaded: field → what it must be.
#: Text fields are non-empty strings; dates are ISO dates (YAML's own dates, or text
#: in YYYY-MM-DD form); sha256 is 64 hex digits as written, whatever YAML reads it as.
SIDECAR_SCHEMA: dict[str, str] = {
    "title": "text",
    "producer": "text",
    "url": "web link",
    "accessed": "date",
    "licence": "text",
    "sha256": "sha256",
    "published": "date or null",
    "author": "text or null",
    "series": "text or null",
    "licence_id": "text or null",
    "licence_short": "text or null",
    "table": "text or null",
}

_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_WEB_LINK = re.compile(r"https?://[^\s<>\"']+")


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


def check_regular_file(path: str | Path, root: str | Path | None = None) -> None:
    """Refuse what is not a regular file inside ``root``: a FIFO, a device, a folder,
    or a symlink that leads out of the project. Checked without opening the file, so
    a FIFO cannot make the run wait forever.
    """
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        raise ProvenanceError(f"{path}: cannot be read ({err.strerror})") from err
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO, device or socket"
        raise ProvenanceError(f"{path}: is {kind}, not a regular file; raw inputs must be files")
    if root is not None:
        real, top = Path(os.path.realpath(path)), Path(os.path.realpath(root))
        if not real.is_relative_to(top):
            raise ProvenanceError(
                f"{path}: leads outside the project (to {real}) through a symlink; "
                "copy the snapshot into data/raw/ instead"
            )


def _raw_scalars(text: str) -> dict[str, str]:
    """The top-level scalar values as written, before YAML gives them a type."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        key.value: value.value
        for key, value in node.value
        if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)
    }


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def check_sidecar(meta: Any, raw: dict[str, str], meta_path: Path) -> dict[str, Any]:
    """Check a parsed sidecar against :data:`SIDECAR_SCHEMA`; return it normalised.

    ``raw`` holds the scalars as written, so a sha256 of only digits (an integer to
    YAML) is read as the text it is. Dates come back as ``datetime.date``.
    """
    if not isinstance(meta, dict):
        raise ProvenanceError(
            f"{meta_path}: expected a mapping of fields, found {type(meta).__name__}"
        )
    missing = [field for field in REQUIRED_FIELDS if meta.get(field) in (None, "")]
    if missing:
        raise ProvenanceError(f"{meta_path}: missing or empty field(s): {', '.join(missing)}")
    meta = dict(meta)
    problems = []
    for field, kind in SIDECAR_SCHEMA.items():
        if field not in meta or (meta[field] is None and kind.endswith("or null")):
            continue
        value = meta[field]
        if kind.startswith("text") and not (isinstance(value, str) and value.strip()):
            problems.append(f"field '{field}': expected text, found {value!r}")
        elif kind == "web link" and not (
            isinstance(value, str) and _WEB_LINK.fullmatch(value.strip())
        ):
            problems.append(f"field '{field}': expected an http(s) link, found {value!r}")
        elif kind.startswith("date"):
            day = _as_date(value)
            if day is None:
                problems.append(f"field '{field}': expected a date YYYY-MM-DD, found {value!r}")
            else:
                meta[field] = day
        elif kind == "sha256":
            written = str(raw.get(field, value)).strip().strip("'\"")
            if not _SHA256.fullmatch(written):
                problems.append(f"field '{field}': expected 64 hex digits, found {written!r}")
            else:
                meta[field] = written.lower()
    if problems:
        raise ProvenanceError(f"{meta_path}: " + "; ".join(problems))
    return meta


def load_sidecar(raw_csv: str | Path) -> dict[str, Any]:
    """Parse the sidecar of ``raw_csv`` and check it against its schema."""
    meta_path = sidecar_path(raw_csv)
    if not meta_path.exists():
        raise ProvenanceError(
            f"{raw_csv}: no provenance sidecar; expected {meta_path} "
            f"with the fields {', '.join(REQUIRED_FIELDS)}"
        )
    check_regular_file(meta_path)
    try:
        text = meta_path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text)
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        problem = " ".join(str(err).split())
        raise ProvenanceError(f"{meta_path}: not readable as YAML ({problem})") from err
    return check_sidecar(meta, _raw_scalars(text), meta_path)


def load_sidecars(raw_csvs: list[str] | list[Path]) -> dict[str, dict[str, Any]]:
    """Raw table name (the CSV's stem) → its parsed sidecar."""
    return {Path(csv).stem: load_sidecar(csv) for csv in raw_csvs}


def open_snapshot(raw_csv: str | Path) -> Snapshot:
    """Return the snapshot after checking the file against its sidecar's sha256."""
    raw_csv = Path(raw_csv)
    check_regular_file(raw_csv)
    meta = load_sidecar(raw_csv)
    actual = sha256_of(raw_csv)
    expected = meta["sha256"]
    if actual != expected:
        raise ProvenanceError(
            f"{raw_csv}: sha256 does not match its sidecar {sidecar_path(raw_csv)}\n"
            f"  sidecar says: {expected}\n"
            f"  file has:     {actual}\n"
            "  If the new content is a deliberate new snapshot, update the sidecar "
            "(sha256, accessed, notes) in the same commit."
        )
    return Snapshot(path=raw_csv, meta=meta)


def snapshot_sources(raw_tables: dict[str, str]) -> dict[str, str]:
    """Raw table -> how its sidecar names it, "<title> (<author>)", for citing it.

    Read while a run is planned, so it is lenient: a sidecar that cannot be read is
    left out here, and validating its table reports why.
    """
    # libyaml's loader, where PyYAML has it: this runs on every run, a no-op one too.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    sources = {}
    for table, csv in raw_tables.items():
        try:
            meta = yaml.load(sidecar_path(csv).read_text(encoding="utf-8"), Loader=loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(meta, dict) and meta.get("title"):
            author = meta.get("author") or meta.get("producer")
            sources[table] = f"{meta['title']} ({author})" if author else meta["title"]
    return sources
