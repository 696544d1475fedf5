"""Raw snapshots: every raw CSV has a YAML sidecar naming its origin and checksum."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from mining_report.errors import ProvenanceError

_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_WEB_LINK = re.compile(r"https?://[^\s<>\"']+")


def _empty_mapping() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Sidecar:
    """A raw snapshot's provenance sidecar, read and checked once by :func:`load_sidecar`.

    The fields are those the pipeline reads; each field's kind is checked on load.
    Text is non-empty; dates are ISO dates (YAML's own dates, or text in YYYY-MM-DD
    form); sha256 is 64 hex digits as written, whatever YAML reads it as. ``mapping``
    is the whole file as loaded, every field in its order, for a refresh to write the
    next vintage from.
    """

    title: str = dataclasses.field(metadata={"kind": "text"})
    producer: str = dataclasses.field(metadata={"kind": "text"})
    url: str = dataclasses.field(metadata={"kind": "web link"})
    accessed: dt.date = dataclasses.field(metadata={"kind": "date"})
    licence: str = dataclasses.field(metadata={"kind": "text"})
    sha256: str = dataclasses.field(metadata={"kind": "sha256"})
    published: dt.date | None = dataclasses.field(default=None, metadata={"kind": "date or null"})
    author: str | None = dataclasses.field(default=None, metadata={"kind": "text or null"})
    series: str | None = dataclasses.field(default=None, metadata={"kind": "text or null"})
    licence_id: str | None = dataclasses.field(default=None, metadata={"kind": "text or null"})
    #: The licence as the source states it ("CC BY-NC 4.0"), which the report prints.
    licence_short: str | None = dataclasses.field(default=None, metadata={"kind": "text or null"})
    table: str | None = dataclasses.field(default=None, metadata={"kind": "text or null"})
    #: The table is the project's own compilation from the sources its rows name: its
    #: reference points at the published copy, not at any one of those sources.
    compiled: bool = dataclasses.field(default=False, metadata={"kind": "yes or no"})
    #: Column → what it holds, in the compiler's words.
    columns: Mapping[str, str] = dataclasses.field(
        default_factory=_empty_mapping, metadata={"kind": "descriptions or null"}
    )
    change_log: tuple[str, ...] = dataclasses.field(
        default=(), metadata={"kind": "list of text or null"}
    )
    mapping: Mapping[str, Any] = dataclasses.field(
        default_factory=_empty_mapping, repr=False, compare=False
    )

    @property
    def creator(self) -> str:
        """Whom the snapshot is credited to: its author, else its producer."""
        return self.author or self.producer


#: The sidecar's schema, checked once when it is loaded: field → what it must be.
SIDECAR_SCHEMA: dict[str, str] = {
    field.name: field.metadata["kind"]
    for field in dataclasses.fields(Sidecar)
    if "kind" in field.metadata
}

#: The fields every sidecar must have, non-empty.
REQUIRED_FIELDS: tuple[str, ...] = tuple(
    field.name
    for field in dataclasses.fields(Sidecar)
    if "kind" in field.metadata
    and field.default is dataclasses.MISSING
    and field.default_factory is dataclasses.MISSING
)


@dataclass(frozen=True)
class Snapshot:
    """A raw table file together with its checked provenance sidecar."""

    path: Path
    sidecar: Sidecar
    #: The bytes read and checked, and the sha256 of the sidecar's bytes as read: what
    #: a build records as its input (the files may change after they were read).
    data: bytes = b""
    sha256: str = ""
    sidecar_sha256: str = ""
    sidecar_bytes: int = 0

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


#: libyaml's parser where PyYAML has it: sidecars are read on every run, a no-op too.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str) -> tuple[Any, dict[str, str]]:
    """The sidecar's YAML as Python values, and its top-level scalar values as written,
    before YAML gives them a type (one parse for both)."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        meta = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    if not isinstance(node, yaml.MappingNode):
        return meta, {}
    return meta, {
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


def check_sidecar(meta: Any, raw: Mapping[str, str], meta_path: Path) -> Sidecar:
    """Check a parsed sidecar against :data:`SIDECAR_SCHEMA`; return it as a record.

    ``raw`` holds the scalars as written, so a sha256 of only digits (an integer to
    YAML) is read as the text it is. Dates come back as ``datetime.date``. A missing
    or empty required field, and every field of the wrong kind, is named.
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
        elif kind.startswith("descriptions") and not (
            isinstance(value, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
        ):
            problems.append(
                f"field '{field}': expected a mapping of names to descriptions, found {value!r}"
            )
        elif kind == "yes or no" and not isinstance(value, bool):
            problems.append(f"field '{field}': expected true or false, found {value!r}")
        elif kind.startswith("list of text") and not (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            problems.append(f"field '{field}': expected a list of text, found {value!r}")
    if problems:
        raise ProvenanceError(f"{meta_path}: " + "; ".join(problems))
    typed: dict[str, Any] = {
        field: meta[field] for field in SIDECAR_SCHEMA if meta.get(field) is not None
    }
    if "columns" in typed:
        typed["columns"] = MappingProxyType(dict(typed["columns"]))
    if "change_log" in typed:
        typed["change_log"] = tuple(typed["change_log"])
    return Sidecar(**typed, mapping=MappingProxyType(meta))


def load_sidecar(raw_csv: str | Path) -> Sidecar:
    """Read the sidecar of ``raw_csv`` and check it against its schema, once."""
    return _read_sidecar(raw_csv)[0]


def _read_sidecar(raw_csv: str | Path) -> tuple[Sidecar, bytes]:
    """The checked sidecar of ``raw_csv`` and the bytes it was read from."""
    meta_path = sidecar_path(raw_csv)
    if not meta_path.exists():
        raise ProvenanceError(
            f"{raw_csv}: no provenance sidecar; expected {meta_path} "
            f"with the fields {', '.join(REQUIRED_FIELDS)}"
        )
    check_regular_file(meta_path)
    data = meta_path.read_bytes()
    try:
        meta, scalars = _parse(data.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        problem = " ".join(str(err).split())
        raise ProvenanceError(f"{meta_path}: not readable as YAML ({problem})") from err
    return check_sidecar(meta, scalars, meta_path), data


def load_sidecars(raw_csvs: list[str] | list[Path]) -> dict[str, Sidecar]:
    """Raw table name (the CSV's stem) → its checked sidecar."""
    return {Path(csv).stem: load_sidecar(csv) for csv in raw_csvs}


def open_snapshot(raw_csv: str | Path) -> Snapshot:
    """Return the snapshot after checking the file against its sidecar's sha256."""
    raw_csv = Path(raw_csv)
    check_regular_file(raw_csv)
    sidecar, sidecar_data = _read_sidecar(raw_csv)
    data = raw_csv.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    expected = sidecar.sha256
    if actual != expected:
        raise ProvenanceError(
            f"{raw_csv}: sha256 does not match its sidecar {sidecar_path(raw_csv)}\n"
            f"  sidecar says: {expected}\n"
            f"  file has:     {actual}\n"
            "  If the new content is a deliberate new snapshot, update the sidecar "
            "(sha256, accessed, notes) in the same commit."
        )
    return Snapshot(
        path=raw_csv,
        sidecar=sidecar,
        data=data,
        sha256=actual,
        sidecar_sha256=hashlib.sha256(sidecar_data).hexdigest(),
        sidecar_bytes=len(sidecar_data),
    )


def snapshot_sources(raw_tables: Mapping[str, str]) -> dict[str, str]:
    """Raw table -> how its sidecar names it, "<title> (<author>)", for citing it.

    Read while a run is planned, so it is lenient: a sidecar that cannot be read is
    left out here, and validating its table reports why.
    """
    sources = {}
    for table, csv in raw_tables.items():
        try:
            meta = load_sidecar(csv)
        except (OSError, ProvenanceError):
            continue
        sources[table] = f"{meta.title} ({meta.creator})"
    return sources
