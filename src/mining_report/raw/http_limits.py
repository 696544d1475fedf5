"""What the HTTP client allows, and how it says no: the default deadlines and size
limits (one request, one refresh), a source's ``limits:`` from config/sources.yaml
applied over them, and the error every failure raises, one line whatever a hostile
answer holds, with the helpers that keep a value from an answer short and on one line.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mining_report.errors import one_line

#: One request, from connecting to the last byte of the body.
REQUEST_SECONDS = 120.0
#: One refresh: every request, retry and wait of it.
REFRESH_SECONDS = 600.0
#: One answer's body; the real pages and downloads are well below 1 MiB.
MAX_BYTES = 32 * 2**20
#: All answers of one refresh together.
REFRESH_BYTES = 128 * 2**20
#: What an error message keeps of a long value (an URL, a field), and of itself.
SHOWN = 200
MESSAGE = 4 * SHOWN


def short(value: Any, limit: int = SHOWN) -> str:
    """A value from an answer for an error message: its repr on one line, cut; a
    container by its kind only (its repr could be huge, or nested deeper than repr goes)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return one_line(repr(value), limit)


def size_text(count: int) -> str:
    """Bytes for a reader: ``32 MiB``, ``10 GiB``, ``512 bytes``."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale:
            return f"{count / scale:.4g} {unit}"
    return f"{count} bytes"


class UpstreamError(Exception):
    """An upstream source could not be fetched or did not return what was expected.

    The message is always one line: a hostile answer's text (a URL with a line break,
    a reason phrase) must not make it several.
    """

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message, MESSAGE))


# --- limits -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """How long and how much; a source may lower or raise any in config/sources.yaml."""

    request_seconds: float = REQUEST_SECONDS
    refresh_seconds: float = REFRESH_SECONDS
    max_bytes: int = MAX_BYTES
    refresh_bytes: int = REFRESH_BYTES

    def updated(self, mapping: Any) -> Limits:
        """These limits with a source's ``limits:`` mapping applied; ValueError with one
        line naming the key when a value is not a positive number."""
        if mapping is None:
            return self
        known = [f.name for f in dataclasses.fields(self)]
        if not isinstance(mapping, Mapping):
            raise ValueError(f"limits: must be a mapping of {', '.join(known)}")
        for key, value in mapping.items():
            if key not in known:
                raise ValueError(f"limits: unknown key {short(key)} (known: {', '.join(known)})")
            whole = key.endswith("bytes")
            kinds = (int,) if whole else (int, float)
            if isinstance(value, bool) or not isinstance(value, kinds) or not value > 0:
                what = "a positive whole number" if whole else "a positive number"
                raise ValueError(f"limits: {key} must be {what}, not {short(value)}")
            if not math.isfinite(value):
                raise ValueError(f"limits: {key} must be finite, not {value}")
        return dataclasses.replace(self, **dict(mapping))
