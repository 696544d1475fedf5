"""Run one pipeline step: log to the rule's log file and fail with a readable message."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from .errors import EXPECTED_ERRORS

#: Each failed step of a run adds its one-line verdict here; the workflow's
#: `onerror` prints them last, so a failure ends in a line that says what broke.
FAILURES_FILE = Path("logs/failures.txt")

#: How many failure cases a summary of an unexpected schema error quotes.
MAX_CASES = 3


def describe(err: BaseException) -> str:
    """One line for an unexpected error: its type and the first line of its message.

    A pandera ``SchemaErrors`` (an output table that broke its model) is summarised
    by column, check and failing value instead of its JSON dump.
    """
    cases = getattr(err, "failure_cases", None)
    if cases is not None and hasattr(cases, "head"):
        quoted = "; ".join(
            f"column '{row.get('column')}', check '{row.get('check')}', "
            f"row {row.get('index')}, value {row.get('failure_case')!r}"
            for row in cases.head(MAX_CASES).to_dict("records")
        )
        more = len(cases) - MAX_CASES
        return f"output schema failed: {quoted}" + (f" and {more} more" if more > 0 else "")
    first = (str(err).strip().splitlines() or [""])[0]
    return f"{type(err).__name__}: {first[:300]}"


def one_line(err: BaseException) -> str:
    """An expected error's message as one line naming the file and what broke.

    A validation verdict lists one "  - column …, check …" line per failed check
    under a header; the one line keeps the file, the first check and the count.
    """
    lines = [line for line in str(err).strip().splitlines() if line.strip()]
    if not lines:
        return type(err).__name__
    details = [line.strip()[2:] for line in lines[1:] if line.strip().startswith("- ")]
    if not details:
        return lines[0]
    source = lines[0].split(": ", 1)[0]
    more = f" (and {len(details) - 1} more failed check(s))" if len(details) > 1 else ""
    return f"{source}: {details[0]}{more}"


def _record(line: str) -> None:
    try:
        FAILURES_FILE.parent.mkdir(parents=True, exist_ok=True)
        with open(FAILURES_FILE, "a", encoding="utf-8") as out:
            out.write(line.replace("\n", " ") + "\n")
    except OSError:
        pass  # the message is printed anyway


def run(step: Callable[[], None], log_file: str | Path) -> None:
    """Call ``step``; on any error print one readable message and exit with status 1.

    Expected errors (bad input, a failed render) carry a message written for people;
    anything else is summarised in one line, with its traceback in the log.
    """
    Path(log_file).parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        handlers=[logging.FileHandler(log_file, mode="w", encoding="utf-8")],
        force=True,
    )
    try:
        step()
    except EXPECTED_ERRORS as err:
        logging.getLogger("pipeline").error("%s", err)
        # The terminal shows a script's stderr; the log keeps a copy.
        print(f"\nERROR: {err}\n", file=sys.stderr)
        _record(f"{one_line(err)} (see {log_file})")
        sys.exit(1)
    except Exception as err:
        logging.getLogger("pipeline").exception("step failed")
        line = f"{Path(log_file).stem}: {describe(err)} (traceback in {log_file})"
        print(f"\nERROR: {line}\n", file=sys.stderr)
        _record(line)
        sys.stderr.flush()
        sys.exit(1)
