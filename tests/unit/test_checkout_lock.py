"""The checkout's lock: whoever comes second waits, then gives up in one line.

Another process is stood in for by a second open file description of the lock file
(``flock`` locks conflict between descriptions, in one process as in two); the real
processes meet in tests/pipeline/test_refresh_safety.py.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import pytest

from mining_report import checkout_lock
from mining_report.checkout_lock import CheckoutBusy, hold_checkout, release_checkout


def other_holder(root: Path, what: str) -> int:
    fd = os.open(root / checkout_lock.LOCK_FILE, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{what} (pid 1, since 10:00:00)\n".encode(), 0)
    return fd


def test_the_holder_keeps_others_out_until_it_lets_go(tmp_path: Path) -> None:
    hold_checkout(tmp_path, "a build", wait=0)
    try:
        assert (tmp_path / ".checkout.lock").read_text().startswith(f"a build (pid {os.getpid()}")
        fd = os.open(tmp_path / ".checkout.lock", os.O_RDWR)
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        hold_checkout(tmp_path, "a build", wait=0)  # again, in the same process: a no-op
    finally:
        release_checkout(tmp_path)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free now
    os.close(fd)


def test_the_second_waits_then_gives_up_naming_the_first(tmp_path: Path) -> None:
    fd = other_holder(tmp_path, "a build")
    said: list[str] = []
    started = time.monotonic()
    try:
        with pytest.raises(CheckoutBusy) as err:
            hold_checkout(tmp_path, "a refresh of ccaf", wait=0.3, say=said.append)
    finally:
        os.close(fd)
    assert time.monotonic() - started >= 0.3
    assert said == ["Waiting for a build (pid 1, since 10:00:00) to finish before a refresh "
                    "of ccaf starts (up to 0.3 s)…"]  # fmt: skip
    assert str(err.value).startswith(
        "a build (pid 1, since 10:00:00) is using this checkout; "
        "a refresh of ccaf did not start after waiting 0.3 s"
    )
    assert "\n" not in str(err.value)


def test_the_second_goes_ahead_when_the_first_ends(tmp_path: Path) -> None:
    fd = other_holder(tmp_path, "a refresh of coinmetrics")
    threading.Timer(0.2, os.close, [fd]).start()  # the first ends (closing releases)
    try:
        hold_checkout(tmp_path, "a build", wait=5, say=lambda line: None)
        assert (tmp_path / ".checkout.lock").read_text().startswith("a build")
    finally:
        release_checkout(tmp_path)


@pytest.mark.parametrize(("value", "seconds"), [("", 600.0), ("2.5", 2.5), ("-1", 0.0),
                                                ("soon", 0.0)])  # fmt: skip
def test_the_wait_comes_from_the_environment(
    value: str, seconds: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(checkout_lock.WAIT_VARIABLE, value)
    assert checkout_lock.wait_seconds() == seconds
