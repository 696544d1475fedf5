"""Run one pipeline step: log to the rule's log file and fail with a readable message."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from .errors import EXPECTED_ERRORS


def run(step: Callable[[], None], log_file: str | Path) -> None:
    """Call ``step``; on an expected error print its message and exit with status 1."""
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
        sys.exit(1)
    except Exception:
        logging.getLogger("pipeline").exception("step failed")
        raise
