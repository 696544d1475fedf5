"""The errors whose message is written for people, in one light module.

Every pipeline step catches these to print the message instead of a traceback;
keeping them apart from pandera, pandas and pandoc means a step that only
renders or draws does not pay for importing the validator.
"""

import re

#: Characters that would break a message's one line: line breaks and other controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` with line breaks and other control characters escaped (``\\n``) and, given
    a ``limit``, at most that many characters: a long middle is cut, so that a long URL
    still leaves the reason after it."""
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), str(text))
    if limit is None or len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[: half - 1]}…{text[-half:]}"


class ProvenanceError(Exception):
    """A raw file has no usable sidecar, or its content no longer matches it."""


class ValidationFailed(Exception):
    """A raw table broke its schema; the message names file, column, line and check."""


class RenderError(Exception):
    """The renderer failed; the message holds its own error output."""


class ClaimBroken(Exception):
    """A sentence of the report claims what the data no longer show."""


#: What a step reports as a message rather than a traceback.
EXPECTED_ERRORS = (ProvenanceError, ValidationFailed, RenderError, ClaimBroken)
