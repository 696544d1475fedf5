"""Writing outputs so that a crash never leaves a half-written file behind."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas costs ~0.4 s to import; steps that only write text skip it
    import pandas as pd


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_text(target: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text atomically, with Unix line ends."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """Write bytes atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_table(
    frame: pd.DataFrame, parquet: str | os.PathLike[str], csv: str | os.PathLike[str]
) -> None:
    """Save a table as Parquet and CSV, the same rows in the same order."""
    with atomic_path(parquet) as tmp:
        frame.to_parquet(tmp, index=False)
    with atomic_path(csv) as tmp:
        frame.to_csv(tmp, index=False, lineterminator="\n", date_format="%Y-%m-%d")


def read_tables(
    named_paths: Any, skip: tuple[str, ...] = ("code", "checked")
) -> dict[str, pd.DataFrame]:
    """Named Parquet inputs of a rule as frames, leaving out non-table inputs
    (the code a rule depends on, the cross-checks it waits for)."""
    import pandas as pd

    return {name: pd.read_parquet(path) for name, path in named_paths.items() if name not in skip}


def read_json_records(paths: Any) -> list[Any]:
    """Parse each JSON file (validation records, for instance)."""
    return [json.loads(Path(path).read_text(encoding="utf-8")) for path in paths]
