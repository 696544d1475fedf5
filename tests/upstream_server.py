"""A scripted HTTP server on 127.0.0.1 that stands in for the upstream APIs in tests."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

#: Coin Metrics' asset-metrics endpoint, below the base URL's /v4.
CM_PATH = "/v4/timeseries/asset-metrics"


@dataclass
class Answer:
    """One scripted response."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "application/json"


class Upstream:
    """Routes -> answers served in order (the last one repeats); every request is kept."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Answer]] = {}
        self.requests: list[dict[str, str]] = []
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                upstream.requests.append(
                    {"path": parts.path, "query": parts.query,
                     "user_agent": self.headers.get("User-Agent", "")}
                )  # fmt: skip
                answers = upstream.routes.get(f"{parts.path}?{parts.query}") or upstream.routes.get(
                    parts.path
                )
                if not answers:
                    self.send_error(404)
                    return
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
                time.sleep(answer.delay)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(answer.body)

            def log_message(self, *args) -> None:  # keep the test output clean
                pass

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
