"""Fetch raw tables from the upstream APIs and write them in the snapshots' format.

Two sources have an API: Coin Metrics' community API (JSON pages of daily metrics,
numbers as strings) and the CCAF mining-map downloads (CSV). Every request has a
timeout and a User-Agent naming the project; 429 and 5xx answers and lost
connections are retried a few times with backoff (honouring ``Retry-After``), other
4xx answers are not. Any failure raises :class:`UpstreamError` with one line that
says what went wrong and where.
"""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

USER_AGENT = "mining-report-refresh/0.1 (research pipeline on the 2021 Bitcoin mining crackdown)"
#: Seconds to connect and to wait for each read.
TIMEOUT = (10.0, 60.0)
RETRIES = 3
#: Never wait longer than this for one retry, whatever Retry-After says.
MAX_WAIT = 30.0
#: A paginated series that needs more pages than this is not what we asked for.
MAX_PAGES = 1000


class UpstreamError(Exception):
    """An upstream source could not be fetched or did not return what was expected."""


@dataclass
class Client:
    """A small HTTP client: timeouts, retries with backoff, a project User-Agent."""

    retries: int = RETRIES
    backoff: float = 1.0
    timeout: tuple[float, float] = TIMEOUT
    sleep: Callable[[float], None] | None = None  # time.sleep unless a test waits for less
    requested: list[str] = field(default_factory=list)

    def _wait(self, seconds: float) -> None:
        (self.sleep or time.sleep)(seconds)

    def get(self, url: str, params: dict[str, Any] | None = None) -> Any:
        import requests

        attempt = 0
        while True:
            attempt += 1
            self.requested.append(url)
            try:
                response = requests.get(
                    url, params=params, timeout=self.timeout, headers={"User-Agent": USER_AGENT}
                )
            except requests.RequestException as err:
                reason = _connection_reason(err)
                if attempt > self.retries:
                    raise UpstreamError(f"{url}: {reason} (gave up after {attempt} tries)") from err
                self._wait(self.backoff * 2 ** (attempt - 1))
                continue
            status = response.status_code
            if status == 429 or status >= 500:
                if attempt > self.retries:
                    raise UpstreamError(
                        f"{url}: HTTP {status} {response.reason} (gave up after {attempt} tries)"
                    )
                self._wait(_retry_after(response) or self.backoff * 2 ** (attempt - 1))
                continue
            if status >= 400:
                raise UpstreamError(f"{url}: HTTP {status} {response.reason} (not retried)")
            return response


def _connection_reason(err: Exception) -> str:
    import requests

    if isinstance(err, requests.Timeout):
        return "timed out"
    text = str(err)
    if "Name or service not known" in text or "NameResolutionError" in text:
        return "the host name could not be resolved (no network?)"
    if isinstance(err, requests.ConnectionError):
        return "could not connect (no network, or the server is down)"
    return f"request failed ({type(err).__name__})"


def _retry_after(response: Any) -> float | None:
    """Seconds the server asks us to wait (``Retry-After``: seconds or an HTTP date)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return min(float(value), MAX_WAIT)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max((when - dt.datetime.now(dt.UTC)).total_seconds(), 0.0), MAX_WAIT)


# --- Coin Metrics --------------------------------------------------------------------


def coinmetrics_rows(
    client: Client, base_url: str, endpoint: str, parameters: dict[str, Any], metrics: list[str]
) -> list[dict[str, Any]]:
    """Every row of a Coin Metrics time series, following ``next_page_url`` to the end."""
    url = f"{base_url.rstrip('/')}/{endpoint.lstrip('/')}"
    params: dict[str, Any] | None = {**parameters, "metrics": ",".join(metrics)}
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        response = client.get(url, params=params)
        try:
            page = response.json()
        except ValueError as err:
            raise UpstreamError(
                f"{response.url}: the answer is not JSON ({_snippet(response)})"
            ) from err
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            raise UpstreamError(
                f"{response.url}: no 'data' list in the answer ({_snippet(response)})"
            )
        rows.extend(page["data"])
        next_url = page.get("next_page_url")
        if not next_url:
            break
        if next_url in seen:
            raise UpstreamError(f"{response.url}: the same next_page_url came twice ({next_url})")
        seen.add(next_url)
        url, params = next_url, None
    else:
        raise UpstreamError(f"{url}: more than {MAX_PAGES} pages; stopped")
    if not rows:
        raise UpstreamError(f"{base_url}: the series is empty (no rows for {parameters})")
    return rows


def _snippet(response: Any) -> str:
    text = response.text[:60].replace("\n", " ")
    return f"{len(response.content)} bytes, starting {text!r}"


#: Metrics whose long strings the snapshot cuts: HashRate comes with 30-40 decimals; the
#: snapshot keeps 10 (below 1e-10 TH/s; see the sidecar's changes_from_source).
DECIMALS_KEPT = {"HashRate": 10}


def _decimal_string(value: Any, where: str, keep: int | None = None) -> str:
    """A metric value as Coin Metrics sends it (a string), checked to be a number."""
    text = str(value).strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text):
        raise UpstreamError(f"{where}: {text!r} is not a number")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals[:keep]}" if keep is not None and len(decimals) > keep else text


def coinmetrics_csv(rows: list[dict[str, Any]], metrics: dict[str, str]) -> str:
    """The raw table: ``date`` then one column per metric, values verbatim (as text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", *metrics.values()])
    for number, row in enumerate(rows, start=1):
        where = f"Coin Metrics row {number}"
        time_value = str(row.get("time", ""))
        if not re.match(r"^\d{4}-\d{2}-\d{2}", time_value):
            raise UpstreamError(f"{where}: 'time' is {time_value!r}, not a date")
        missing = [name for name in metrics if row.get(name) in (None, "")]
        if missing:
            raise UpstreamError(f"{where} ({time_value[:10]}): no value for {', '.join(missing)}")
        values = [
            _decimal_string(row[name], f"{where}, {name}", DECIMALS_KEPT.get(name))
            for name in metrics
        ]
        writer.writerow([time_value[:10], *values])
    return out.getvalue()


# --- CCAF -----------------------------------------------------------------------------

#: The header each CCAF download has, and the snapshot's own column names.
CCAF_HEADERS = {
    "mining_countries": (
        ["date", "country", "monthly_hashrate_%", "monthly_absolute_hashrate_EH/S"],
        ["date", "country", "share_pct", "abs_hashrate_ehs"],
    ),
    "mining_provinces": (
        ["Date", "Province", "Share of Chinese hashrate"],
        ["date", "province", "share_of_china_pct"],
    ),
}


def ccaf_download(client: Client, base_url: str, name: str) -> str:
    """The text of one CCAF mining-map download."""
    url = f"{base_url.rstrip('/')}/download/{name}"
    response = client.get(url)
    text = response.content.decode("utf-8-sig", errors="strict")
    if not text.strip():
        raise UpstreamError(f"{url}: the download is empty")
    return text


def _iso_month(value: str, where: str) -> str:
    """A CCAF date (ISO, or M/D/YY as spreadsheets re-save it) as YYYY-MM-DD."""
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%m/%d/%y", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    raise UpstreamError(f"{where}: {value!r} is not a date")


def _percent(value: str, where: str) -> str:
    """'6.1%' -> '6.10' (two decimals, as the snapshot writes shares)."""
    text = value.strip().removesuffix("%")
    try:
        return f"{float(text):.2f}"
    except ValueError:
        raise UpstreamError(f"{where}: {value!r} is not a percentage") from None


def ccaf_csv(name: str, text: str, source: str) -> str:
    """A CCAF download converted to the snapshot's format (formatting only)."""
    expected, columns = CCAF_HEADERS[name]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    if [h.strip() for h in header] != expected:
        raise UpstreamError(
            f"{source}: the header changed upstream: {','.join(header)!r}, "
            f"expected {','.join(expected)!r}; the conversion must be reviewed"
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for line, record in enumerate(reader, start=2):
        if not record:
            continue
        if len(record) != len(expected):
            raise UpstreamError(
                f"{source}: line {line}: {len(record)} fields, expected {len(expected)}"
            )
        where = f"{source}: line {line}"
        date = _iso_month(record[0], where)
        if name == "mining_countries":
            writer.writerow([date, record[1], _percent(record[2], where), record[3].strip()])
        else:
            writer.writerow([date, record[1], record[2].strip().removesuffix("%")])
        count += 1
    if not count:
        raise UpstreamError(f"{source}: header only, no data rows")
    return out.getvalue()
