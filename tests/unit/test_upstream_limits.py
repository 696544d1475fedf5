"""A hostile or broken upstream: every request and every refresh ends, in one line.

Each answer below, served by the loopback server (127.0.0.1, tests/upstream_server.py),
once kept `make refresh` waiting forever, read gigabytes into memory, followed a link
to another host, or crashed with a traceback. Each must now end in an UpstreamError,
or `ERROR:` and exit 1, whose one line names the URL (or row) and the limit or reason.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from upstream_server import CM_PATH, Answer, Upstream, as_json

from mining_report.raw import refresh, upstream

from conftest import ROOT

ENDPOINT = "timeseries/asset-metrics"
METRICS = {"BlkCnt": "BlkCnt", "FeeTotNtv": "FeeTotNtv", "HashRate": "HashRate_THs",
           "IssTotUSD": "IssTotUSD", "PriceUSD": "PriceUSD"}  # fmt: skip
ROW = {"time": "2020-01-01T00:00:00.000000000Z", "BlkCnt": "174", "FeeTotNtv": "9.8",
       "HashRate": "112929774.5", "IssTotUSD": "15596124.3", "PriceUSD": "7170.6"}  # fmt: skip
COUNTRIES = "/api/download/mining_countries"
CCAF_HEADER = "date,country,monthly_hashrate_%,monthly_absolute_hashrate_EH/S\r\n"
#: How much later than its deadline a call may return (a loaded machine, thread start).
MARGIN = 0.75


@pytest.fixture(autouse=True)
def no_thread_left() -> Iterator[None]:
    """Neither the client's timers nor the server's slow or endless answers outlive a test."""
    before = set(threading.enumerate())
    yield
    give_up = time.monotonic() + 3
    while (left := [t for t in threading.enumerate() if t not in before and t.is_alive()]) and (
        time.monotonic() < give_up
    ):
        time.sleep(0.02)
    assert not left, f"threads still running after the test: {left}"


def client(**limits: Any) -> upstream.Client:
    """A client that does not wait between retries, its refresh started with ``limits``."""
    made = upstream.Client(retries=0, sleep=lambda seconds: None, timeout=(2.0, 5.0))
    made.start(upstream.Limits().updated(limits))
    return made


def series(server: Upstream, made: upstream.Client | None = None) -> list[dict]:
    return upstream.coinmetrics_rows(made or client(), f"{server.url}/v4", ENDPOINT, {},
                                     list(METRICS))  # fmt: skip


def one_line_error(call: Callable[[], Any]) -> str:
    with pytest.raises(upstream.UpstreamError) as err:
        call()
    message = str(err.value)
    assert message and len(message.splitlines()) == 1, message
    return message


def timed(call: Callable[[], Any]) -> tuple[str, float]:
    """The one-line error ``call`` ends in, and the seconds it took."""
    start = time.monotonic()
    message = one_line_error(call)
    return message, time.monotonic() - start


def page(rows: list[Any], **fields: Any) -> bytes:
    return json.dumps({"data": rows, **fields}).encode()


# --- deadlines --------------------------------------------------------------------------


@pytest.mark.parametrize("slow_headers", [False, True], ids=["body", "headers"])
def test_a_trickle_ends_at_the_request_deadline(slow_headers: bool) -> None:
    # A byte every 0.1 s: no read ever times out, and the whole takes about a minute.
    body = page([ROW] * 4)
    with Upstream() as server:
        server.add(CM_PATH, Answer(body, trickle=0.1, slow_headers=slow_headers))
        message, seconds = timed(lambda: series(server, client(request_seconds=1)))
    assert seconds < 1 + MARGIN
    assert f"{server.url}{CM_PATH}?metrics=" in message
    assert "no complete answer within the 1 s request deadline" in message


def test_the_refresh_deadline_covers_every_page() -> None:
    # Pages that each come in time (0.3 s), but never end: the refresh's deadline does.
    with Upstream() as server:
        for number in range(20):
            link = f"{server.url}{CM_PATH}?next_page_token={number + 1}"
            route = CM_PATH if number == 0 else f"{CM_PATH}?next_page_token={number}"
            server.add(route, Answer(page([ROW], next_page_url=link), delay=0.3))
        made = client(request_seconds=10, refresh_seconds=1.2)
        message, seconds = timed(lambda: series(server, made))
    assert seconds < 1.2 + MARGIN
    assert "the 1.2 s refresh deadline" in message
    assert 3 <= len(server.requests) <= 5


def test_a_retry_is_not_waited_for_past_the_refresh_deadline() -> None:
    waits: list[float] = []
    made = upstream.Client(retries=3, sleep=waits.append)
    made.start(upstream.Limits(refresh_seconds=5))
    with Upstream() as server:
        server.add(CM_PATH, Answer(b"", status=503, headers={"Retry-After": "30"}))
        message = one_line_error(lambda: series(server, made))
    assert "HTTP 503 Service Unavailable; waiting 30 s to retry would pass" in message
    assert "the 5 s refresh deadline" in message
    assert waits == []


# --- sizes ------------------------------------------------------------------------------


def test_a_huge_content_length_is_refused_before_reading() -> None:
    with Upstream() as server:
        server.add(CM_PATH, Answer(b'{"data": []}', length=10 * 2**30))
        message = one_line_error(lambda: series(server))
    assert message.startswith(f"{server.url}{CM_PATH}?metrics=")
    assert "the answer is larger than the 32 MiB limit (Content-Length 10 GiB)" in message


def test_an_endless_body_stops_at_the_size_limit() -> None:
    with Upstream() as server:
        server.add(COUNTRIES, Answer(endless=True))
        made = client(max_bytes=2**20)
        message, seconds = timed(lambda: upstream.ccaf_download(made, f"{server.url}/api",
                                                                "mining_countries"))  # fmt: skip
    assert message == (
        f"{server.url}{COUNTRIES}: more than the 1 MiB limit arrived; stopped reading"
    )
    assert seconds < 2
    assert 2**20 < made.received < 2**20 + 2 * 65536


def test_all_pages_together_have_a_limit_too() -> None:
    rows = [{**ROW, "note": "x" * 400}] * 1000  # about 0.5 MiB a page
    with Upstream() as server:
        link = f"{server.url}{CM_PATH}?next_page_token=2"
        server.add(CM_PATH, Answer(page(rows, next_page_url=link)))
        server.add(f"{CM_PATH}?next_page_token=2", Answer(page(rows)))
        made = client(max_bytes=2**20, refresh_bytes=2**20)
        message = one_line_error(lambda: series(server, made))
    assert message.startswith(f"{server.url}{CM_PATH}?next_page_token=2: ")
    assert "left of the refresh's 1 MiB limit" in message


def test_a_compressed_answer_is_not_decompressed() -> None:
    with Upstream() as server:
        server.add(CM_PATH, Answer(b"\x1f\x8b\x08", headers={"Content-Encoding": "gzip"}))
        message = one_line_error(lambda: series(server))
    assert "the answer is gzip-encoded; identity was asked" in message
    assert server.requests[0]["accept_encoding"] == "identity"


# --- the whole refresh against an endless answer: time and memory measured ------------


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(config_and_raw: Path) -> Path:
    return config_and_raw


def set_limits(project: Path, source: str, limits: Any) -> None:
    path = project / "config/sources.yaml"
    sources = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources[source]["limits"] = limits
    path.write_text(yaml.safe_dump(sources, sort_keys=False), encoding="utf-8")


def failed_refresh(argv: list[str], capsys) -> str:
    """The ERROR line of a refresh that must fail: exit 1, one line, nothing replaced."""
    assert refresh.main(argv) == 1
    lines = capsys.readouterr().err.splitlines()
    errors = [n for n, line in enumerate(lines) if line.startswith("ERROR: ")]
    assert len(errors) == 1, lines
    assert lines[errors[0] + 1 :] == [
        "Nothing was replaced: the snapshots, sidecars and report are as they were."
    ]
    return lines[errors[0]]


def memory_kib() -> tuple[int, int]:
    """This process's resident set and its peak (KiB), from /proc."""
    status = Path("/proc/self/status").read_text()
    return tuple(int(re.search(rf"{key}:\s+(\d+)", status).group(1)) for key in ("VmRSS", "VmHWM"))


def reset_peak() -> bool:
    """Restart the peak resident set from now (Linux); False where it cannot be."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def test_an_endless_answer_ends_the_refresh_within_its_limits(project: Path, capsys) -> None:
    # `make refresh` itself (in this process: a unit test starts no program), limits from
    # the copy's config/sources.yaml. Reading the stream until the 2 s deadline would
    # hold hundreds of MiB (loopback carries GB/s); the 1 MiB limit stops it first.
    set_limits(project, "coinmetrics", {"request_seconds": 2, "max_bytes": 2**20})
    raw = fingerprint(project / "data/raw")
    with Upstream() as server:
        server.add(CM_PATH, Answer(endless=True))
        argv = ["coinmetrics", "--base-url", f"{server.url}/v4"]
        rss_before, _ = memory_kib()
        peak_known = reset_peak()
        tracemalloc.start()
        start = time.monotonic()
        try:
            line = failed_refresh(argv, capsys)
            seconds = time.monotonic() - start
            _, python_peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        _, peak = memory_kib()
    assert seconds < 2 + MARGIN
    assert line.startswith(f"ERROR: {server.url}{CM_PATH}?")
    assert line.endswith("more than the 1 MiB limit arrived; stopped reading")
    assert fingerprint(project / "data/raw") == raw
    # What Python allocated at most while the refresh ran: the 1 MiB body and change.
    assert python_peak < 6 * 2**20, python_peak
    if peak_known:  # and what the process held at most, above where it was
        assert (peak - rss_before) * 1024 < 48 * 2**20, (peak, rss_before)


@pytest.mark.parametrize(
    ("limits", "expected"),
    [
        ({"request_seconds": 0}, "limits: request_seconds must be a positive number, not 0"),
        ({"max_bytes": "32 MiB"}, "limits: max_bytes must be a positive whole number, not '32"),
        ({"max_bytes": 1.5}, "limits: max_bytes must be a positive whole number, not 1.5"),
        ({"refresh_seconds": True}, "limits: refresh_seconds must be a positive number"),
        ({"refresh_seconds": float("inf")}, "limits: refresh_seconds must be finite, not inf"),
        ({"timeout": 3}, "limits: unknown key 'timeout' (known: request_seconds,"),
        ([1, 2], "limits: must be a mapping of request_seconds, refresh_seconds"),
    ],
    ids=["zero", "text", "fraction", "bool", "infinite", "unknown", "list"],
)
def test_bad_limits_in_the_config_are_one_line(
    project: Path, limits: Any, expected: str, capsys
) -> None:
    set_limits(project, "coinmetrics", limits)
    line = failed_refresh(["coinmetrics", "--base-url", "http://127.0.0.1:9/v4"], capsys)
    assert line.startswith("ERROR: config/sources.yaml: coinmetrics: ")
    assert expected in line


def test_the_committed_config_documents_and_passes_the_limits() -> None:
    text = (ROOT / "config/sources.yaml").read_text(encoding="utf-8")
    for key in ("request_seconds", "refresh_seconds", "max_bytes", "refresh_bytes"):
        assert key in text
    for spec in yaml.safe_load(text).values():
        upstream.Limits().updated(spec.get("limits"))


# --- other hosts -------------------------------------------------------------------------


def test_a_redirect_on_the_same_host_is_followed() -> None:
    with Upstream() as server:
        server.add(CM_PATH, Answer(status=301, headers={"Location": "moved?page=1"}))
        server.add("/v4/timeseries/moved", as_json({"data": [ROW]}))
        assert len(series(server)) == 1
    assert [r["path"] for r in server.requests] == [CM_PATH, "/v4/timeseries/moved"]


@pytest.mark.parametrize("elsewhere", ["other port", "localhost"])
def test_a_redirect_to_another_host_is_refused(elsewhere: str) -> None:
    with Upstream() as server, Upstream() as other:
        other.add(CM_PATH, as_json({"data": [ROW]}))
        port = server.server.server_address[1]
        target = other.url if elsewhere == "other port" else f"http://localhost:{port}"
        server.add(CM_PATH, Answer(status=302, headers={"Location": f"{target}{CM_PATH}"}))
        message = one_line_error(lambda: series(server))
    assert message.startswith(f"{server.url}{CM_PATH}?metrics=")
    assert f"points to another host ({target}{CM_PATH}); not followed" in message
    assert other.requests == [] and len(server.requests) == 1


def test_redirects_end() -> None:
    with Upstream() as server:
        server.add(CM_PATH, Answer(status=307, headers={"Location": CM_PATH}))
        message = one_line_error(lambda: series(server))
    assert "more than 5 redirects; stopped" in message
    assert len(server.requests) == 6


def test_a_next_page_on_another_host_is_refused() -> None:
    with Upstream() as server, Upstream() as other:
        server.add(CM_PATH, Answer(page([ROW], next_page_url=f"{other.url}{CM_PATH}?t=2")))
        message = one_line_error(lambda: series(server))
    assert message.startswith(f"{server.url}{CM_PATH}?metrics=")
    assert f"the next_page_url points to another host ({other.url}{CM_PATH}?t=2)" in message
    assert other.requests == []


def test_a_bom_is_no_problem() -> None:
    with Upstream() as server:
        server.add(CM_PATH, Answer(b"\xef\xbb\xbf" + page([ROW])))
        assert series(server) == [ROW]


# --- malformed answers --------------------------------------------------------------------

DEEP = b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
CM_CASES = {
    "rows-not-objects": (b'{"data": [1, 2, 3]}', "row 1 of 'data' is 1, not an object"),
    "next-a-list": (page([ROW], next_page_url=["a"]), "the next_page_url is a list, not a URL"),
    "next-a-number": (page([ROW], next_page_url=5), "the next_page_url is 5, not a URL"),
    "next-an-object": (page([ROW], next_page_url={}), "next_page_url is an object, not a URL"),
    "next-no-url": (page([ROW], next_page_url="http://["), "next_page_url 'http://[' is not"),
    "deep": (DEEP, "not JSON we can read (nested too deeply"),
    "nan": (b'{"data": [{"time": "2020-01-01", "BlkCnt": NaN}]}', "NaN is not a JSON number"),
    "infinity": (b'{"data": [{"BlkCnt": -Infinity}]}', "-Infinity is not a JSON number"),
    "huge-float": (b'{"data": [{"BlkCnt": 1e999}]}', "the number 1e999 is out of range"),
    "huge-int": (b'{"data": [{"BlkCnt": ' + b"9" * 5000 + b"}]}", "an integer of 5000 digits"),
    "not-utf8": (b'{"data": ["\xff"]}', "not JSON ('utf-8' codec can't decode byte 0xff"),
    "a-number": (b"5", "no 'data' list in the answer"),
    "empty-body": (b"", "the answer is not JSON"),
    "time-a-number": (page([{**ROW, "time": 20200101}]), "'time' is 20200101, not a date"),
    "time-with-nul": (page([{**ROW, "time": "2020-01-01\x00"}]), r"'time' is '2020-01-01\x00'"),
    "time-not-a-day": (page([{**ROW, "time": "2020-02-30"}]), "'time' is '2020-02-30', not a"),
    "value-a-list": (page([{**ROW, "BlkCnt": [174]}]), "BlkCnt is a list, not a number"),
    "value-a-bool": (page([{**ROW, "BlkCnt": True}]), "BlkCnt is True, not a number"),
    "other-digits": (page([{**ROW, "BlkCnt": "١٧٤"}]), "BlkCnt is '١٧٤', not a number"),
    "value-with-nul": (page([{**ROW, "PriceUSD": "7\x00"}]), r"PriceUSD is '7\x00', not a"),
}
LONG_FIELD = CCAF_HEADER + '2021-01-01,"' + "x" * 200_000 + '",1%,1\r\n'
CCAF_CASES = {
    "not-utf8": (CCAF_HEADER.encode() + b"2021-01-01,\xe9,1%,1\r\n", "not UTF-8 text"),
    "long-field": (LONG_FIELD.encode(), "line 2: not readable as CSV (field larger than"),
    "nul": (CCAF_HEADER.encode() + b"2021-01-01,\x00,1%,1\r\n", "holds NUL bytes"),
    "nan-share": ((CCAF_HEADER + "2021-01-01,X,nan%,1\r\n").encode(), "'nan%' is not a perc"),
    "exponent": ((CCAF_HEADER + "2021-01-01,X,1e400%,1\r\n").encode(), "'1e400%' is not a"),
    "empty": (b"\xef\xbb\xbf \r\n", "the download is empty"),
    "a-header-only": (CCAF_HEADER.encode(), "header only, no data rows"),
}


@pytest.mark.parametrize(("body", "expected"), CM_CASES.values(), ids=CM_CASES.keys())
def test_a_malformed_coinmetrics_answer_is_one_line(
    project: Path, body: bytes, expected: str, capsys
) -> None:
    raw = fingerprint(project / "data/raw")
    with Upstream() as server:
        server.add(CM_PATH, Answer(body))
        line = failed_refresh(["coinmetrics", "--base-url", f"{server.url}/v4"], capsys)
    assert expected in line
    assert line.startswith((f"ERROR: {server.url}{CM_PATH}?", "ERROR: Coin Metrics row 1"))
    assert fingerprint(project / "data/raw") == raw


@pytest.mark.parametrize(("body", "expected"), CCAF_CASES.values(), ids=CCAF_CASES.keys())
def test_a_malformed_ccaf_download_is_one_line(
    project: Path, body: bytes, expected: str, capsys
) -> None:
    raw = fingerprint(project / "data/raw")
    with Upstream() as server:
        server.add(COUNTRIES, Answer(body, content_type="text/csv"))
        line = failed_refresh(["ccaf", "--base-url", f"{server.url}/api"], capsys)
    assert line.startswith(f"ERROR: {server.url}{COUNTRIES}")
    assert expected in line
    assert fingerprint(project / "data/raw") == raw


def test_an_unexpected_failure_is_one_line_too(project: Path, capsys, monkeypatch) -> None:
    def broken(*args: Any) -> list:
        raise KeyError("a bug\nin two lines")

    monkeypatch.setattr(upstream, "coinmetrics_rows", broken)
    line = failed_refresh(["coinmetrics", "--base-url", "http://127.0.0.1:9/v4"], capsys)
    assert line == r"ERROR: coinmetrics: unexpected KeyError: 'a bug\nin two lines'"


def test_ctrl_c_is_not_swallowed(project: Path, monkeypatch) -> None:
    def interrupted(*args: Any) -> list:
        raise KeyboardInterrupt

    monkeypatch.setattr(upstream, "coinmetrics_rows", interrupted)
    with pytest.raises(KeyboardInterrupt):
        refresh.main(["coinmetrics", "--base-url", "http://127.0.0.1:9/v4"])


# --- anything at all -----------------------------------------------------------------------

#: Pages, rows and links of any shape, any bytes, and CSV files with any fields.
LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)


def _containers(inner: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)


#: Any JSON value, NaN and Infinity included (json.dumps writes them as such).
JSON = st.recursive(LEAVES, _containers, max_leaves=12)
LINKS = JSON | st.sampled_from(
    ["", "?next_page_token=x", "//localhost/x", "http://127.0.0.1:1/x", "http://[",
     "http://127.0.0.1:99999/", "ftp://127.0.0.1/", "\n", "javascript:alert(1)"]
)  # fmt: skip
VALUES = {name: st.sampled_from([ROW[name], "", "1e5", " 7 ", "-0.5"]) for name in ROW}
#: Rows that may well be valid, and rows with anything in them.
ROWS = st.fixed_dictionaries(VALUES) | st.fixed_dictionaries(
    {}, optional={name: VALUES[name] | JSON for name in ROW}
)
PAGES = st.fixed_dictionaries(
    {"data": st.lists(ROWS | JSON, max_size=4) | JSON}, optional={"next_page_url": LINKS}
)
SAMPLE_FIELDS = ["2021-01-01", "9/1/19", "6.1%", "Other", "", '"', "nan%"]
FIELDS = st.sampled_from(SAMPLE_FIELDS) | st.text(max_size=8)
DATES = st.sampled_from(["2021-01-01", "9/1/19", "2021-02-30", "12/31/2021 "])
SHARES = st.sampled_from(["6.1%", "0%", "-1.5 %", "1e3%", "nan%", "6,1%"])
#: Records that may well be valid, and records with anything in them.
RECORDS = st.lists(
    st.tuples(DATES, st.text(max_size=8), SHARES, FIELDS).map(list)
    | st.lists(FIELDS, min_size=3, max_size=5),
    max_size=4,
)


def as_csv(header: bool, records: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        out.write(CCAF_HEADER)
    writer.writerows(records)
    return out.getvalue().encode("utf-8", errors="surrogatepass")


BODIES = (
    st.binary(max_size=300)
    | (JSON | PAGES).map(lambda value: json.dumps(value).encode())
    | st.builds(as_csv, st.booleans(), RECORDS)
)


def test_any_answer_gives_rows_or_one_line() -> None:
    outcomes = {"rows": 0, "refused": 0}

    def either(call: Callable[[], Any]) -> None:
        try:
            call()
        except upstream.UpstreamError as err:
            assert len(str(err).splitlines()) == 1, str(err)
            outcomes["refused"] += 1
        else:
            outcomes["rows"] += 1

    def ccaf(server: Upstream) -> str:
        text = upstream.ccaf_download(client(), f"{server.url}/api", "mining_countries")
        return upstream.ccaf_csv("mining_countries", text, COUNTRIES)

    with Upstream() as server:  # one server for every example

        @settings(max_examples=60, deadline=None, database=None)
        @given(body=BODIES)
        @example(body=page([ROW]))
        @example(body=(CCAF_HEADER + "2021-01-01,Other,6.1%,5.39\r\n").encode())
        def serve(body: bytes) -> None:
            server.add(CM_PATH, Answer(body))
            server.add(COUNTRIES, Answer(body, content_type="text/csv"))
            either(lambda: upstream.coinmetrics_csv(series(server), METRICS))
            either(lambda: ccaf(server))

        serve()
    assert outcomes["rows"] >= 2 and outcomes["refused"] > 0
