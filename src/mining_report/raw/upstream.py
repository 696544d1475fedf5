"""Fetch raw tables from the upstream APIs and write them in the snapshots' format.

Two sources have an API: Coin Metrics' community API (JSON pages of daily metrics,
numbers as strings) and the CCAF mining-map downloads (CSV). The requests go through
:mod:`.http_client` (deadlines, size limits, same-host redirects, retries). The answers
are read as hostile: whatever they hold, a failure raises :class:`UpstreamError` with
one line that says what went wrong and where, never another exception.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from typing import Any

from mining_report.errors import one_line as one_line
from mining_report.raw.http_client import Client as Client
from mining_report.raw.http_client import Response
from mining_report.raw.http_limits import Limits as Limits
from mining_report.raw.http_limits import UpstreamError as UpstreamError
from mining_report.raw.http_limits import short
from mining_report.raw.http_urls import follow

#: A paginated series that needs more pages than this is not what we asked for.
MAX_PAGES = 1000
#: Nor one with more rows (a daily series since 2009 has under 10,000).
MAX_ROWS = 100_000
#: Longer JSON integers are refused before Python converts them (slowly, or not at all).
MAX_DIGITS = 100


# --- Coin Metrics --------------------------------------------------------------------


def coinmetrics_rows(
    client: Client, base_url: str, endpoint: str, parameters: dict[str, Any], metrics: list[str]
) -> list[dict[str, Any]]:
    """Every row of a Coin Metrics time series, following ``next_page_url`` to the end.

    Each row keeps only ``time`` and the metrics asked for: what a hostile page adds
    is not kept in memory over the pages.
    """
    url = f"{base_url.rstrip('/')}/{endpoint.lstrip('/')}"
    params: dict[str, Any] | None = {**parameters, "metrics": ",".join(metrics)}
    kept = ("time", *metrics)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        response = client.get(url, params=params)
        page = _json(response)
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            raise UpstreamError(
                f"{response.url}: no 'data' list in the answer ({_snippet(response)})"
            )
        for number, row in enumerate(page["data"], start=1):
            if not isinstance(row, dict):
                raise UpstreamError(
                    f"{response.url}: row {number} of 'data' is {short(row, 60)}, not an object"
                )
            rows.append({name: row[name] for name in kept if name in row})
        if len(rows) > MAX_ROWS:
            raise UpstreamError(f"{response.url}: more than {MAX_ROWS} rows; stopped")
        next_url = page.get("next_page_url")
        if next_url is None:
            break
        next_url = follow(response.url, next_url, "next_page_url")
        if next_url in seen:
            raise UpstreamError(f"{response.url}: the same next_page_url came twice ({next_url})")
        seen.add(next_url)
        url, params = next_url, None
    else:
        raise UpstreamError(f"{url}: more than {MAX_PAGES} pages; stopped")
    if not rows:
        raise UpstreamError(f"{base_url}: the series is empty (no rows for {parameters})")
    return rows


def _json(response: Response) -> Any:
    """The answer's JSON, strictly: UTF-8, no NaN or Infinity, finite numbers, integers
    of sane length, nesting Python can follow."""
    try:
        text = response.content.decode("utf-8-sig")
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite,
                          parse_int=_integer)  # fmt: skip
    except RecursionError:
        raise UpstreamError(f"{response.url}: the answer is not JSON we can read "
                            f"(nested too deeply; {_snippet(response)})") from None  # fmt: skip
    except ValueError as err:  # JSONDecodeError, UnicodeDecodeError and ours
        reason = str(err).splitlines()[0][:120] if str(err) else type(err).__name__
        raise UpstreamError(
            f"{response.url}: the answer is not JSON ({reason}; {_snippet(response)})"
        ) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def _integer(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise ValueError(f"an integer of {len(text)} digits")
    return int(text)


def _snippet(response: Response) -> str:
    return f"{len(response.content)} bytes, starting {response.text[:60]!r}"


#: Metrics whose long strings the snapshot cuts: HashRate comes with 30-40 decimals; the
#: snapshot keeps 10 (below 1e-10 TH/s; see the sidecar's changes_from_source).
DECIMALS_KEPT = {"HashRate": 10}


def _decimal_string(value: Any, where: str, keep: int | None = None) -> str:
    """A metric value as Coin Metrics sends it (a string), checked to be a number."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise UpstreamError(f"{where} is {short(value, 60)}, not a number")
    text = str(value).strip()
    if not NUMBER.fullmatch(text):
        raise UpstreamError(f"{where} is {short(text, 60)}, not a number")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals[:keep]}" if keep is not None and len(decimals) > keep else text


#: A number as the snapshot writes one (ASCII digits: ``\d`` would let other scripts in).
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
#: Coin Metrics' ``time``: a date, perhaps with a UTC time of day.
TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(T[0-9:.]*Z?)?")


def _day(value: Any) -> str:
    """The date of a row's ``time``, or "" if it is not one."""
    match = TIME.fullmatch(value) if isinstance(value, str) else None
    try:
        return dt.date.fromisoformat(match.group(1)).isoformat() if match else ""
    except ValueError:
        return ""


def coinmetrics_csv(rows: list[dict[str, Any]], metrics: dict[str, str]) -> str:
    """The raw table: ``date`` then one column per metric, values verbatim (as text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", *metrics.values()])
    for number, row in enumerate(rows, start=1):
        where = f"Coin Metrics row {number}"
        if not isinstance(row, dict):
            raise UpstreamError(f"{where}: {short(row, 60)} is not an object")
        date = _day(row.get("time"))
        if not date:
            raise UpstreamError(f"{where}: 'time' is {short(row.get('time'), 60)}, not a date")
        missing = [name for name in metrics if row.get(name) is None or row.get(name) == ""]
        if missing:
            raise UpstreamError(f"{where} ({date}): no value for {', '.join(missing)}")
        values = [
            _decimal_string(row[name], f"{where} ({date}), {name}", DECIMALS_KEPT.get(name))
            for name in metrics
        ]
        writer.writerow([date, *values])
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
    """The text of one CCAF mining-map download (UTF-8, no NUL bytes)."""
    url = f"{base_url.rstrip('/')}/download/{name}"
    response = client.get(url)
    try:
        text = response.content.decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError as err:
        raise UpstreamError(
            f"{url}: the download is not UTF-8 text ({err.reason} at byte {err.start})"
        ) from None
    if "\x00" in text:
        raise UpstreamError(f"{url}: the download holds NUL bytes; it is not a CSV file")
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
    raise UpstreamError(f"{where}: {short(value, 60)} is not a date")


#: The longest field a CCAF download may have (a country's name, a date, a number).
MAX_FIELD = 1000

#: A share as CCAF writes one: ``6.1%`` (no exponent, no ``nan``, ASCII digits).
PERCENT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _percent(value: str, where: str) -> str:
    """'6.1%' -> '6.10' (two decimals, as the snapshot writes shares)."""
    text = value.strip().removesuffix("%").strip()
    if not PERCENT.fullmatch(text) or not math.isfinite(float(text)):
        raise UpstreamError(f"{where}: {short(value, 60)} is not a percentage")
    return f"{float(text):.2f}"


def ccaf_csv(name: str, text: str, source: str) -> str:
    """A CCAF download converted to the snapshot's format (formatting only)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _ccaf_rows(name, reader, source)
    except csv.Error as err:  # a field over the csv module's size limit, a stray quote...
        raise UpstreamError(
            f"{source}: line {reader.line_num}: not readable as CSV ({one_line(str(err), 80)})"
        ) from None


def _ccaf_rows(name: str, reader: Any, source: str) -> str:
    expected, columns = CCAF_HEADERS[name]
    header = next(reader, [])
    if [h.strip() for h in header] != expected:
        raise UpstreamError(
            f"{source}: the header changed upstream: {short(','.join(header), 120)}, "
            f"expected {','.join(expected)!r}; the conversion must be reviewed"
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for line, record in enumerate(reader, start=2):
        if not record:
            continue
        # Checked here too: the csv module's own limit is process-wide, and other
        # libraries raise it (frictionless sets it to the maximum).
        if any(len(field) > MAX_FIELD for field in record):
            raise UpstreamError(
                f"{source}: line {line}: not readable as CSV (field larger than "
                f"{MAX_FIELD:,} characters)"
            )
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
