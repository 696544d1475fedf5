"""One lock for the checkout: a build and a refresh never run at the same time.

A build reads the raw snapshots from its first job to its last; a refresh that
accepts a new vintage, or a re-sign, replaces them. Run together, the report would
quote one vintage and cite or hash another. Each takes this lock first: an
exclusive ``flock`` on ``.checkout.lock`` at the project's root, held until the
process ends (the kernel releases it when a process dies, even by ``kill -9``, so
a crash never leaves it stale). Whoever comes second waits, saying for whom, up to
``MINING_REPORT_LOCK_WAIT`` seconds (default 600), then gives up with one line.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path

LOCK_FILE = ".checkout.lock"
WAIT_VARIABLE = "MINING_REPORT_LOCK_WAIT"
DEFAULT_WAIT = 600.0

#: The descriptors this process holds, by lock path: held until the process ends.
_held: dict[str, int] = {}


class CheckoutBusy(Exception):
    """Another build or refresh holds the checkout."""


def wait_seconds() -> float:
    """How long to wait for the checkout, from the environment (a bad value: 0)."""
    text = os.environ.get(WAIT_VARIABLE, "")
    if not text:
        return DEFAULT_WAIT
    try:
        value = float(text)
    except ValueError:
        return 0.0
    return value if value >= 0 else 0.0


def holder(path: Path) -> str:
    """Who holds the lock, as its holder wrote it ("a build, pid 12, since 10:02:03")."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    return text.splitlines()[0][:200] if text else "another process"


def hold_checkout(
    root: str | Path,
    what: str,
    wait: float | None = None,
    say: Callable[[str], object] = print,
) -> None:
    """Take the checkout's lock for ``what`` ("a build", "a refresh of ccaf") and keep it
    until this process ends; wait for another holder up to ``wait`` seconds.

    Taking it again in the same process does nothing. Raises :class:`CheckoutBusy`
    when the wait runs out.
    """
    path = Path(root) / LOCK_FILE
    key = os.path.realpath(path)
    if key in _held:
        return
    wait = wait_seconds() if wait is None else wait
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            other = holder(path)
            if time.monotonic() >= deadline:
                os.close(fd)
                waited = f" after waiting {wait:g} s" if wait else ""
                raise CheckoutBusy(
                    f"{other} is using this checkout; {what} did not start{waited}. "
                    f"Try again when it has finished (or set {WAIT_VARIABLE}=<seconds> "
                    "to wait longer)"
                ) from None
            if not told:
                say(f"Waiting for {other} to finish before {what} starts (up to {wait:g} s)…")
                told = True
            time.sleep(0.1)
    since = dt.datetime.now().strftime("%H:%M:%S")
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{what} (pid {os.getpid()}, since {since})\n".encode(), 0)
    _held[key] = fd


def release_checkout(root: str | Path) -> None:
    """Let the checkout go before the process ends (a test, or a long-lived caller)."""
    fd = _held.pop(os.path.realpath(Path(root) / LOCK_FILE), None)
    if fd is not None:
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
