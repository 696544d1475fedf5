"""An HTTP client that a hostile or broken upstream cannot keep waiting or fill memory.

``requests`` times each socket read: a server that sends a byte now and then (in the
headers or the body) keeps it waiting forever, and it reads any body whole. This client
uses ``http.client`` itself: a deadline per request (connect, headers and body) and one
per refresh, enforced by a timer that shuts the socket down (the only way to stop a
read that keeps getting a byte); a size limit per answer and per refresh, checked
against ``Content-Length`` and while reading; redirects only to the same scheme, host
and port; ``Accept-Encoding: identity`` (nothing is decompressed: no zip bomb).

429 and 5xx answers and lost connections are retried with backoff (honouring
``Retry-After``); other 4xx answers, malformed HTTP and a passed deadline are not.
Every failure is an :class:`UpstreamError`: one line naming the URL and the limit hit.

The limits and the one-line errors are in :mod:`.http_limits`, the same-host rule in
:mod:`.http_urls`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import http.client
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mining_report.raw.http_limits import Limits, UpstreamError, one_line, size_text
from mining_report.raw.http_urls import Target, follow, target, with_params

USER_AGENT = "mining-report-refresh/0.1 (research pipeline on the 2021 Bitcoin mining crackdown)"
#: Seconds to connect, and to wait for each read (the deadlines bound the whole).
TIMEOUT = (10.0, 60.0)
RETRIES = 3
#: Never wait longer than this for one retry, whatever Retry-After says.
MAX_WAIT = 30.0
MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
#: Bytes asked of the socket at a time.
CHUNK = 65536


class _Lost(Exception):
    """A failure that may pass (a refused or lost connection, a read timeout): retried."""


@dataclass
class Response:
    """A complete answer: status, headers (names in lower case) and the body read."""

    url: str
    status: int
    reason: str
    headers: dict[str, str]
    content: bytes = b""

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


@dataclass
class Client:
    """Deadlines, size limits, same-host redirects, retries with backoff, a User-Agent.

    One client serves one refresh: :meth:`start` (or the first request) starts the
    refresh's clock and byte count, which every later request shares.
    """

    retries: int = RETRIES
    backoff: float = 1.0
    timeout: tuple[float, float] = TIMEOUT
    sleep: Callable[[float], None] | None = None  # time.sleep unless a test waits for less
    requested: list[str] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    received: int = 0
    ends: float | None = None  # time.monotonic() when the refresh's deadline passes

    def start(self, limits: Limits | None = None) -> None:
        """Start a refresh (with these limits): its clock and its byte count."""
        self.limits = limits or self.limits
        self.ends = time.monotonic() + self.limits.refresh_seconds
        self.received = 0

    def get(self, url: str, params: Mapping[str, Any] | None = None) -> Response:
        """A 2xx answer to GET ``url``, its body read whole (within the limits)."""
        if self.ends is None:
            self.start()
        url = with_params(url, params)
        for _ in range(MAX_REDIRECTS + 1):
            response = self._get_retried(url)
            if response.status not in REDIRECTS:
                return response
            where = f"Location of the HTTP {response.status} answer"
            url = follow(url, response.headers.get("location"), where)
        raise UpstreamError(f"{url}: more than {MAX_REDIRECTS} redirects; stopped")

    def _get_retried(self, url: str) -> Response:
        attempt = 0
        while True:
            attempt += 1
            self.requested.append(url)
            try:
                response = self._exchange(url)
            except _Lost as err:
                if attempt > self.retries:
                    raise UpstreamError(f"{url}: {err} (gave up after {attempt} tries)") from None
                self._wait(url, str(err), self.backoff * 2 ** (attempt - 1))
                continue
            status, reason = response.status, f"HTTP {response.status} {response.reason}"
            if status == 429 or status >= 500:
                if attempt > self.retries:
                    raise UpstreamError(f"{url}: {reason} (gave up after {attempt} tries)")
                wait = _retry_after(response.headers) or self.backoff * 2 ** (attempt - 1)
                self._wait(url, reason, wait)
                continue
            if not (200 <= status < 300 or status in REDIRECTS):
                raise UpstreamError(f"{url}: {reason} (not retried)")
            return response

    def _wait(self, url: str, reason: str, seconds: float) -> None:
        """Wait before a retry, unless the wait alone would pass the refresh's deadline."""
        assert self.ends is not None
        if time.monotonic() + seconds >= self.ends:
            raise UpstreamError(
                f"{url}: {reason}; waiting {seconds:g} s to retry would pass the "
                f"{self.limits.refresh_seconds:g} s refresh deadline"
            )
        (self.sleep or time.sleep)(seconds)

    def _deadline(self, url: str) -> tuple[float, str]:
        """Seconds this request may take, and the deadline that sets them (for errors)."""
        assert self.ends is not None
        left, request = self.ends - time.monotonic(), self.limits.request_seconds
        refresh = f"the {self.limits.refresh_seconds:g} s refresh deadline"
        if left <= 0:
            raise UpstreamError(f"{url}: {refresh} passed; stopped")
        if left < request:
            return left, refresh
        return request, f"the {request:g} s request deadline"

    def _budget(self) -> tuple[int, str]:
        """Bytes this answer may bring, and the limit that sets them (for errors)."""
        left, most = max(self.limits.refresh_bytes - self.received, 0), self.limits.max_bytes
        if left >= most:
            return most, f"the {size_text(most)} limit"
        total = size_text(self.limits.refresh_bytes)
        return left, f"the {size_text(left)} left of the refresh's {total} limit"

    def _exchange(self, url: str) -> Response:
        """One request and its answer, within the request's deadline."""
        where = target(url)
        seconds, deadline = self._deadline(url)
        with _Guard(seconds) as guard:
            try:
                response = self._talk(url, where, guard, seconds)
            except UpstreamError:
                raise
            except Exception as err:
                if guard.fired:
                    raise UpstreamError(f"{url}: no complete answer within {deadline}") from None
                raise _failure(url, err, guard.connected) from None
            if guard.fired:  # a body read "until the server closes" ends when cut, too
                raise UpstreamError(f"{url}: no complete answer within {deadline}")
            return response

    def _talk(self, url: str, where: Target, guard: _Guard, seconds: float) -> Response:
        sock = socket.create_connection(
            (where.host, where.port), timeout=min(self.timeout[0], seconds)
        )
        guard.watch(sock)
        sock.settimeout(self.timeout[1])
        if where.scheme == "https":
            context = ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=where.host,
                                       do_handshake_on_connect=False)  # fmt: skip
            guard.watch(sock)  # before the handshake, so that the timer can cut it
            sock.do_handshake()
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                where.host, where.port, context=context
            )
        else:
            connection = http.client.HTTPConnection(where.host, where.port)
        guard.connected = True
        connection.sock = sock  # ours: connected, timed and watched
        connection.request("GET", where.path, headers={
            "User-Agent": USER_AGENT, "Accept-Encoding": "identity", "Connection": "close",
        })  # fmt: skip
        answer = connection.getresponse()
        try:
            headers = {name.lower(): value for name, value in answer.getheaders()}
            response = Response(url, answer.status, answer.reason, headers)
            if 200 <= answer.status < 300:
                response.content = self._body(url, answer, headers)
            return response
        finally:
            answer.close()

    def _body(self, url: str, answer: http.client.HTTPResponse, headers: dict[str, str]) -> bytes:
        """The body, read a chunk at a time and never past the size limit."""
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            raise UpstreamError(f"{url}: the answer is {one_line(encoding, 40)}-encoded; "
                                "identity was asked and nothing is decompressed")  # fmt: skip
        limit, named = self._budget()
        if answer.length is not None and answer.length > limit:
            raise UpstreamError(f"{url}: the answer is larger than {named} "
                                f"(Content-Length {size_text(answer.length)})")  # fmt: skip
        body = bytearray()
        while chunk := answer.read1(CHUNK):
            body += chunk
            self.received += len(chunk)
            if len(body) > limit:
                raise UpstreamError(f"{url}: more than {named} arrived; stopped reading")
        if answer.length:  # the connection ended before the declared length
            raise http.client.IncompleteRead(bytes(body[-64:]), answer.length)
        return bytes(body)


class _Guard:
    """A timer that shuts the socket down at the deadline, from its own thread.

    A blocked read then returns at once. The lock and ``_done`` make sure it never
    touches a socket after the exchange ended (its descriptor may be reused).
    """

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self.connected = False
        self._sock: socket.socket | None = None
        self._done = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True

    def __enter__(self) -> _Guard:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._done = True
        self._timer.cancel()
        self._timer.join()
        if self._sock is not None:
            self._sock.close()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            if self.fired:
                _shut(sock)

    def _cut(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            if self._sock is not None:
                _shut(self._sock)


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for TLS: SSLSocket.shutdown would drop the TLS
    # state under the reader's feet.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _failure(url: str, err: Exception, connected: bool) -> Exception:
    """What went wrong, as ``_Lost`` (retried) or ``UpstreamError`` (not)."""
    if isinstance(err, socket.gaierror):
        return _Lost("the host name could not be resolved (no network?)")
    if isinstance(err, ssl.SSLCertVerificationError):
        return UpstreamError(f"{url}: the TLS certificate could not be verified ({err.reason})")
    if isinstance(err, TimeoutError):
        return _Lost("timed out")
    if not connected and isinstance(err, OSError):
        return _Lost("could not connect (no network, or the server is down)")
    if isinstance(err, (OSError, http.client.RemoteDisconnected, http.client.IncompleteRead)):
        return _Lost(f"the connection was lost mid-answer ({type(err).__name__})")
    if isinstance(err, (http.client.HTTPException, ValueError)):
        return UpstreamError(f"{url}: the answer is not valid HTTP ({type(err).__name__}: "
                             f"{one_line(str(err), 80)})")  # fmt: skip
    return UpstreamError(f"{url}: request failed ({type(err).__name__}: {one_line(str(err), 80)})")


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asks us to wait (``Retry-After``: seconds or an HTTP date)."""
    value = (headers.get("retry-after") or "").strip()
    if not value:
        return None
    if re.fullmatch(r"[0-9]{1,9}", value):
        return min(float(value), MAX_WAIT)
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:  # "-0000": UTC, by RFC 5322
            when = when.replace(tzinfo=dt.UTC)
        seconds = (when - dt.datetime.now(dt.UTC)).total_seconds()
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    return min(max(seconds, 0.0), MAX_WAIT)
