"""The URLs the HTTP client may follow: an http(s) URL with a host name, split into
what a request needs, and a link from an answer (a redirect's Location, a next page)
resolved only to the same scheme, host and port."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

from mining_report.raw.http_limits import SHOWN, UpstreamError, one_line, short

_HOST = re.compile(r"[A-Za-z0-9._~-]+|[0-9A-Fa-f:.]+")


@dataclass(frozen=True)
class Target:
    """Where a URL points: what a request needs, and its origin for the same-host rule."""

    scheme: str
    host: str
    port: int
    path: str

    @property
    def origin(self) -> tuple[str, str, int]:
        return self.scheme, self.host, self.port


def target(url: str) -> Target:
    """The parts of an http(s) URL, or one line saying why it is not one."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise UpstreamError(f"{one_line(url, SHOWN)}: not a valid URL ({err})") from None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not _HOST.fullmatch(host):
        raise UpstreamError(f"{one_line(url, SHOWN)}: not an http(s) URL with a host name")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    # Percent-encode what may not travel raw (spaces, controls, non-ASCII); keep the rest.
    path = quote(path, safe="!#$%&'()*+,/:;=?@[]~")
    return Target(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path)


def with_params(url: str, params: Mapping[str, Any] | None) -> str:
    if not params:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def follow(base: str, link: Any, what: str) -> str:
    """``link`` (a redirect's Location, a next page) resolved against ``base``: only to
    the same scheme, host and port, so an answer cannot send the client elsewhere."""
    if not isinstance(link, str) or not link:
        raise UpstreamError(f"{base}: the {what} is {short(link)}, not a URL")
    try:
        resolved = urljoin(base, link)
    except ValueError as err:
        raise UpstreamError(f"{base}: the {what} {short(link)} is not a URL ({err})") from None
    if target(resolved).origin != target(base).origin:
        raise UpstreamError(
            f"{base}: the {what} points to another host ({one_line(resolved, SHOWN)}); not followed"
        )
    return resolved
