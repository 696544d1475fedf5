"""A scripted HTTP server on 127.0.0.1 that stands in for the upstream APIs in tests."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

#: Coin Metrics' asset-metrics endpoint, below the base URL's /v4.
CM_PATH = "/v4/timeseries/asset-metrics"


@dataclass
class Answer:
    """One scripted response; the fields after ``content_type`` script a hostile one."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "application/json"
    #: Seconds between bytes: the body is sent one byte at a time.
    trickle: float = 0.0
    #: The status line and headers trickle too (at ``trickle``'s pace).
    slow_headers: bool = False
    #: The Content-Length declared, if not the body's (a huge one, for a short body).
    length: int | None = None
    #: A chunked body that never ends: ``body`` (or 64 KiB of "x") again and again.
    endless: bool = False

    def head(self) -> bytes:
        lines = [f"HTTP/1.1 {self.status} {_phrase(self.status)}",
                 f"Content-Type: {self.content_type}", "Connection: close"]  # fmt: skip
        if self.endless:
            lines.append("Transfer-Encoding: chunked")
        else:
            lines.append(
                f"Content-Length: {len(self.body) if self.length is None else self.length}"
            )
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Whatever"


class Upstream:
    """Routes -> answers served in order (the last one repeats); every request is kept."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Answer]] = {}
        self.requests: list[dict[str, str]] = []
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            #: A write to a client that stopped reading fails after this, not never.
            timeout = 5

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                upstream.requests.append(
                    {"path": parts.path, "query": parts.query,
                     "user_agent": self.headers.get("User-Agent", ""),
                     "accept_encoding": self.headers.get("Accept-Encoding", "")}
                )  # fmt: skip
                answers = upstream.routes.get(f"{parts.path}?{parts.query}") or upstream.routes.get(
                    parts.path
                )
                if not answers:
                    self.send_error(404)
                    return
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
                # The client went away (or gave up, or stopped reading): nothing to do.
                with contextlib.suppress(OSError):
                    self.answer(answer)

            def answer(self, answer: Answer) -> None:
                if upstream.stopping.wait(answer.delay):
                    return
                head = answer.head()
                self.send(head, answer.trickle if answer.slow_headers else 0.0)
                if not answer.endless:
                    self.send(answer.body, answer.trickle)
                    return
                chunk = answer.body or b"x" * 65536
                frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
                while not upstream.stopping.is_set():
                    self.wfile.write(frame)

            def send(self, data: bytes, pause: float) -> None:
                """``data`` at once, or a byte every ``pause`` s until the server stops."""
                if not pause:
                    self.wfile.write(data)
                    return
                for i in range(len(data)):
                    if upstream.stopping.wait(pause):
                        return
                    self.wfile.write(data[i : i + 1])

            def log_message(self, *args) -> None:  # keep the test output clean
                pass

        #: Set on exit: slow and endless answers stop, so no thread outlives the server.
        self.stopping = threading.Event()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # Checked for shutdown every 50 ms, not every 0.5 s: each test stops a server.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, route: str, *answers: Answer) -> None:
        self.routes[route] = list(answers)

    def __enter__(self) -> Upstream:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


def as_json(page: dict) -> Answer:
    return Answer(json.dumps(page).encode())


def coinmetrics_pages(server: Upstream, committed: Path, per_page: int = 400) -> None:
    """Serve the committed series as Coin Metrics would: pages of string values."""
    rows = list(csv.DictReader(io.StringIO(committed.read_text())))
    data = [{"asset": "btc", "time": f"{r['date']}T00:00:00.000000000Z", "BlkCnt": r["BlkCnt"],
             "FeeTotNtv": r["FeeTotNtv"], "HashRate": r["HashRate_THs"],
             "IssTotUSD": r["IssTotUSD"], "PriceUSD": r["PriceUSD"]} for r in rows]  # fmt: skip
    pages = [data[i : i + per_page] for i in range(0, len(data), per_page)]
    for number, chunk in enumerate(pages):
        page: dict = {"data": chunk}
        if number + 1 < len(pages):
            page["next_page_token"] = f"t{number + 1}"
            page["next_page_url"] = f"{server.url}{CM_PATH}?next_page_token=t{number + 1}"
        route = CM_PATH if number == 0 else f"{CM_PATH}?next_page_token=t{number}"
        server.add(route, as_json(page))


#: CCAF's mining-map downloads, below the base URL /ccaf.
CCAF_PATH = "/ccaf/download"


def ccaf_downloads(server: Upstream, countries: Path, provinces: Path) -> None:
    """Serve the committed CCAF snapshots as CCAF's downloads write them (shares with a
    per cent sign, CCAF's own headers)."""
    rows = list(csv.DictReader(io.StringIO(countries.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "country", "monthly_hashrate_%", "monthly_absolute_hashrate_EH/S"])
    writer.writerows([r["date"], r["country"], f"{r['share_pct']}%", r["abs_hashrate_ehs"]]
                     for r in rows)  # fmt: skip
    server.add(f"{CCAF_PATH}/mining_countries", Answer(out.getvalue().encode()))
    rows = list(csv.DictReader(io.StringIO(provinces.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Date", "Province", "Share of Chinese hashrate"])
    writer.writerows([r["date"], r["province"], f"{r['share_of_china_pct']}%"] for r in rows)
    server.add(f"{CCAF_PATH}/mining_provinces", Answer(out.getvalue().encode()))
