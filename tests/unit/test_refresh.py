"""Refreshing snapshots from upstream, against a local server with the APIs' shapes.

The server runs on 127.0.0.1 in the test process; nothing reaches the network. The
longer series it serves are the committed snapshots themselves: each test cuts the
project copy's snapshot short, so a refresh must bring back exactly the real rows.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from upstream_server import CM_PATH, Answer, Upstream, as_json, coinmetrics_pages

from mining_report.raw import http_client, refresh, upstream, vintage_diff
from mining_report.raw.provenance import sha256_of, sidecar_path

from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "upstream"
METRICS = {"BlkCnt": "BlkCnt", "FeeTotNtv": "FeeTotNtv", "HashRate": "HashRate_THs",
           "IssTotUSD": "IssTotUSD", "PriceUSD": "PriceUSD"}  # fmt: skip


def quick_client(**kwargs) -> upstream.Client:
    waits: list[float] = []
    client = upstream.Client(sleep=waits.append, **kwargs)
    client.waits = waits  # type: ignore[attr-defined]
    return client


def fixture_page(next_url: str | None) -> dict:
    page = json.loads((FIXTURES / "coinmetrics_page.json").read_text())
    if next_url is None:
        page.pop("next_page_url")
        page.pop("next_page_token")
    else:
        page["next_page_url"] = next_url
    return page


# --- Coin Metrics ----------------------------------------------------------------------


def test_pages_are_followed_and_numbers_kept_as_sent() -> None:
    with Upstream() as server:
        second = f"{server.url}{CM_PATH}?next_page_token=abc"
        last = fixture_page(None)
        last["data"] = last["data"][1:]
        server.add(CM_PATH, as_json(fixture_page(second)))
        server.add(f"{CM_PATH}?next_page_token=abc", as_json(last))
        client = quick_client()
        rows = upstream.coinmetrics_rows(client, f"{server.url}/v4", "timeseries/asset-metrics",
                                         {"assets": "btc"}, list(METRICS))  # fmt: skip
    assert len(rows) == 3
    assert [r["query"] for r in server.requests][1] == "next_page_token=abc"
    assert (
        "metrics=BlkCnt%2CFeeTotNtv%2CHashRate%2CIssTotUSD%2CPriceUSD"
        in server.requests[0]["query"]
    )
    assert all("mining-report" in r["user_agent"] for r in server.requests)
    text = upstream.coinmetrics_csv(rows[:2], METRICS)
    committed = (ROOT / "data/raw/coinmetrics/coinmetrics_btc_daily.csv").read_text()
    # The two fixture rows are the snapshot's first two, byte for byte (line ends aside).
    assert text.splitlines() == committed.splitlines()[:3]


def test_long_decimals_are_cut_after_the_tenth_as_in_the_snapshot() -> None:
    row = {"time": "2021-01-01T00:00:00.000000000Z", "BlkCnt": "150", "FeeTotNtv": "1.5",
           "HashRate": "150000000.123456789012345678901234567890", "IssTotUSD": "2",
           "PriceUSD": "3"}  # fmt: skip
    line = upstream.coinmetrics_csv([row], METRICS).splitlines()[1]
    assert line == "2021-01-01,150,1.5,150000000.1234567890,2,3"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([Answer(b"<html>maintenance</html>", content_type="text/html")], "not JSON"),
        ([Answer(b'{"data": [{"asset": "btc", "time": "2020-01-')], "not JSON"),
        ([Answer(b'{"data": []}')], "the series is empty"),
        ([Answer(b'{"error": {"type": "bad"}}')], "no 'data' list"),
        ([Answer(b"", status=500)], "HTTP 500"),
        ([Answer(b"", status=403)], "HTTP 403 Forbidden (not retried)"),
    ],
    ids=["html", "truncated", "empty", "no-data", "server-error", "forbidden"],
)
def test_bad_answers_end_in_one_clear_error(answers: list[Answer], expected: str) -> None:
    with Upstream() as server:
        server.add(CM_PATH, *answers)
        client = quick_client(retries=2)
        with pytest.raises(upstream.UpstreamError) as err:
            upstream.coinmetrics_rows(client, f"{server.url}/v4", "timeseries/asset-metrics",
                                      {}, list(METRICS))  # fmt: skip
    assert expected in str(err.value)
    assert "\n" not in str(err.value)
    # 5xx is retried (1 + 2 retries), a 403 or a bad body is not.
    assert len(server.requests) == (3 if "500" in expected else 1)


def test_a_page_loop_is_refused() -> None:
    with Upstream() as server:
        again = f"{server.url}{CM_PATH}?next_page_token=same"
        server.add(CM_PATH, as_json(fixture_page(again)))
        server.add(f"{CM_PATH}?next_page_token=same", as_json(fixture_page(again)))
        with pytest.raises(upstream.UpstreamError, match="the same next_page_url came twice"):
            upstream.coinmetrics_rows(quick_client(), f"{server.url}/v4",
                                      "timeseries/asset-metrics", {}, list(METRICS))  # fmt: skip
    assert len(server.requests) == 2


def test_rate_limits_are_waited_out_as_the_server_asks() -> None:
    with Upstream() as server:
        server.add(
            CM_PATH,
            Answer(b"", status=429, headers={"Retry-After": "7"}),
            Answer(b"", status=503),
            as_json(fixture_page(None)),
        )
        client = quick_client(retries=3, backoff=0.25)
        rows = upstream.coinmetrics_rows(client, f"{server.url}/v4", "timeseries/asset-metrics",
                                         {}, list(METRICS))  # fmt: skip
    assert len(rows) == 2
    # Retry-After first; then the client's own backoff (second attempt: 0.25 * 2).
    assert client.waits == [7.0, 0.5]


def test_no_network_no_server_and_slow_servers_fail_clearly() -> None:
    closed = Upstream()
    url = closed.url  # bound, never served: connections are refused
    closed.server.server_close()
    with pytest.raises(upstream.UpstreamError, match="could not connect"):
        quick_client(retries=1).get(f"{url}/x")
    with pytest.raises(upstream.UpstreamError, match="could not be resolved"):
        quick_client(retries=0).get("http://upstream.invalid/x")
    with Upstream() as server:
        server.add("/slow", Answer(b"{}", delay=1.5))
        with pytest.raises(upstream.UpstreamError, match="timed out"):
            quick_client(retries=0, timeout=(1.0, 0.3)).get(f"{server.url}/slow")


# --- CCAF ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "snapshot", "rows"),
    [("mining_countries", "cbeci_countries", 10), ("mining_provinces", "cbeci_provinces", 9)],
)
def test_ccaf_downloads_convert_to_the_snapshot_format(name: str, snapshot: str, rows: int) -> None:
    text = (FIXTURES / f"ccaf_{name}.csv").read_text()
    converted = upstream.ccaf_csv(name, text, "test")
    committed = (ROOT / f"data/raw/ccaf/{snapshot}.csv").read_text().splitlines()
    assert converted.splitlines() == committed[: rows + 1]


def test_a_changed_ccaf_header_is_refused() -> None:
    text = (FIXTURES / "ccaf_mining_countries.csv").read_text()
    changed = text.replace("monthly_hashrate_%", "hashrate_share", 1)
    with pytest.raises(upstream.UpstreamError, match="the header changed upstream"):
        upstream.ccaf_csv("mining_countries", changed, "https://example/download/mining_countries")


# --- the difference between vintages ---------------------------------------------------


def test_the_diff_counts_additions_removals_and_revisions() -> None:
    old = pd.DataFrame({"date": ["2021-01-01", "2021-02-01", "2021-03-01"],
                        "share": ["10.00", "20.00", "6.10"]})  # fmt: skip
    new = pd.DataFrame({"date": ["2021-02-01", "2021-03-01", "2021-04-01"],
                        "share": ["25.00", "6.1", "7.00"]})  # fmt: skip
    diff = vintage_diff.diff_tables(old, new, ["date"])
    assert diff["added"] == [("2021-04-01",)]
    assert diff["removed"] == [("2021-01-01",)]
    # 6.10 -> 6.1 is the same number; 20 -> 25 is a revision of +25 %.
    assert [(c["key"], c["old"], c["new"]) for c in diff["changed"]] == [
        (("2021-02-01",), "20.00", "25.00")
    ]
    assert diff["changed"][0]["relative"] == pytest.approx(0.25)
    text = vintage_diff.describe_diff("t", diff, 3, 3)
    assert "1 added, 1 removed, 1 row(s) with 1 changed value(s)" in text
    assert "REMOVED: 2021-01-01" in text
    assert "2021-02-01, share: 20.00 -> 25.00 (+25.00%)" in text


# --- the whole refresh, in a copy of the project -----------------------------------------


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file's sha256; the checkout's lock (git-ignored, see checkout_lock) aside."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".checkout.lock"
    }


@pytest.fixture
def project(config_and_raw: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of config/ and data/raw/, as the working directory.

    ACCEPT=1 first runs the build's checks on the staged files in a scratch project
    (a Snakemake run: tests/pipeline/test_refresh_safety.py runs it for real); here
    the check only makes sure it is asked about the staged files, before any
    replacement.
    """

    def staged_files_checked(replace) -> None:
        for raw, staged in replace.items():
            assert Path(staged).is_file() and Path(raw).is_file()

    monkeypatch.setattr(refresh, "check_staged", staged_files_checked)
    return config_and_raw


def cut_snapshot(csv_path: Path, last_date: str) -> None:
    """Keep the rows up to ``last_date`` and re-sign the sidecar (the older vintage)."""
    data = csv_path.read_bytes()
    end = b"\r\n" if b"\r\n" in data else b"\n"
    lines = data.split(end)
    kept = [lines[0]] + [ln for ln in lines[1:] if ln and ln[:10].decode() <= last_date]
    csv_path.write_bytes(end.join(kept) + end)
    meta = sidecar_path(csv_path)
    text = meta.read_text()
    old = yaml.safe_load(text)["sha256"]
    meta.write_text(text.replace(old, sha256_of(csv_path)))


def test_a_longer_coinmetrics_series_is_staged_then_accepted(project: Path, capsys) -> None:
    raw = project / "data/raw/coinmetrics/coinmetrics_btc_daily.csv"
    committed = ROOT / "data/raw/coinmetrics/coinmetrics_btc_daily.csv"
    cut_snapshot(raw, "2022-05-31")
    before = fingerprint(project / "data/raw")
    with Upstream() as server:
        coinmetrics_pages(server, committed)
        assert refresh.main(["coinmetrics", "--base-url", f"{server.url}/v4"]) == 0
        out = capsys.readouterr().out
        assert "882 rows now, 912 staged: 30 added, 0 removed, 0 row(s)" in out
        assert "added: 2022-06-01 … 2022-06-30" in out
        assert fingerprint(project / "data/raw") == before  # staged only
        staged = project / "data/staging/coinmetrics_btc_daily"
        assert (staged / "diff.txt").read_text().startswith("coinmetrics_btc_daily: 882 rows")
        meta = yaml.safe_load((staged / "coinmetrics_btc_daily.meta.yml").read_text())
        assert meta["coverage"] == {"first": "2020-01-01", "last": "2022-06-30"}
        assert meta["rows"] == 912
        assert meta["download"]["url"] == f"{server.url}/v4/timeseries/asset-metrics"
        assert meta["retrieved_at"].endswith("Z")
        assert refresh.main(["coinmetrics", "--base-url", f"{server.url}/v4", "--accept"]) == 0
    # The accepted snapshot is the real one, byte for byte, and signed.
    assert raw.read_bytes() == committed.read_bytes()
    assert yaml.safe_load(sidecar_path(raw).read_text())["sha256"] == sha256_of(committed)


def native_ccaf(snapshot: Path, name: str) -> bytes:
    """A committed CCAF table written back as the API download (ISO dates, 6.1%)."""
    frame = pd.read_csv(snapshot, dtype=str)
    header = upstream.CCAF_HEADERS[name][0]
    if name == "mining_countries":
        frame["share_pct"] = [f"{float(v):g}%" for v in frame["share_pct"]]
    frame.columns = header
    return frame.to_csv(index=False, lineterminator="\r\n").encode()


def test_ccaf_refresh_brings_back_the_missing_months(project: Path, capsys) -> None:
    countries = project / "data/raw/ccaf/cbeci_countries.csv"
    provinces = project / "data/raw/ccaf/cbeci_provinces.csv"
    cut_snapshot(countries, "2021-12-01")
    cut_snapshot(provinces, "2021-06-01")
    with Upstream() as server:
        for name, table in (("mining_countries", "cbeci_countries"),
                            ("mining_provinces", "cbeci_provinces")):  # fmt: skip
            body = native_ccaf(ROOT / f"data/raw/ccaf/{table}.csv", name)
            server.add(f"/api/download/{name}", Answer(body, content_type="text/csv"))
        assert refresh.main(["ccaf", "--base-url", f"{server.url}/api", "--accept"]) == 0
    out = capsys.readouterr().out
    assert "cbeci_countries: 280 rows now, 290 staged: 10 added" in out
    assert "cbeci_provinces: 197 rows now, 206 staged: 9 added" in out
    for path in (countries, provinces):
        assert path.read_bytes() == (ROOT / path.relative_to(project)).read_bytes()


@pytest.mark.parametrize(
    "answer",
    [
        Answer(b"", status=500),
        Answer(b"", status=429),
        Answer(b"not json", content_type="text/plain"),
        Answer(b'{"data": [{"asset": "btc", "time": "2021'),
        Answer(b'{"data": []}'),
    ],
    ids=["500", "429", "not-json", "truncated", "empty"],
)
def test_a_failed_refresh_changes_nothing(
    project: Path, answer: Answer, capsys, monkeypatch
) -> None:
    monkeypatch.setattr(http_client.time, "sleep", lambda seconds: None)  # retries, unhurried
    before = fingerprint(project)
    with Upstream() as server:
        server.add(CM_PATH, answer)
        code = refresh.main(["coinmetrics", "--base-url", f"{server.url}/v4", "--accept"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("ERROR: ") and "Nothing was replaced" in err
    assert fingerprint(project) == before


def test_a_download_that_fails_its_checks_is_not_accepted(project: Path, capsys) -> None:
    raw = project / "data/raw/ccaf/cbeci_provinces.csv"
    before = fingerprint(project / "data/raw")
    bad = native_ccaf(ROOT / "data/raw/ccaf/cbeci_provinces.csv", "mining_provinces")
    bad = bad.replace(b"2019-09-01,Sichuan,49.52", b"2019-09-01,Sichuan,4952", 1)
    with Upstream() as server:
        server.add("/api/download/mining_countries",
                   Answer(native_ccaf(ROOT / "data/raw/ccaf/cbeci_countries.csv",
                                      "mining_countries")))  # fmt: skip
        server.add("/api/download/mining_provinces", Answer(bad))
        assert refresh.main(["ccaf", "--base-url", f"{server.url}/api", "--accept"]) == 1
    err = capsys.readouterr().err
    assert "cbeci_provinces: the staged download fails its checks" in err
    assert fingerprint(project / "data/raw") == before
    assert raw.read_bytes() == (ROOT / "data/raw/ccaf/cbeci_provinces.csv").read_bytes()
    assert not (project / "data/staging/cbeci_provinces/cbeci_provinces.csv").exists()


# --- re-signing a curated table ---------------------------------------------------------


def test_a_hand_edit_is_validated_then_signed(project: Path) -> None:
    events = project / "data/raw/press/events.csv"
    meta = sidecar_path(events)
    events.write_bytes(events.read_bytes().replace(b"A draft energy-control plan",
                                                   b"A draft energy control plan", 1))  # fmt: skip
    assert refresh.main(["--resign", "events"]) == 0
    signed = yaml.safe_load(meta.read_text())
    assert signed["sha256"] == sha256_of(events)
    assert signed["change_log"][0].endswith(f"(sha256 {sha256_of(events)[:12]}…)")
    # The rest of the sidecar, comments included, is as it was.
    original = (ROOT / "data/raw/press/events.meta.yml").read_text()
    assert meta.read_text().startswith(original.split("sha256:")[0])


def test_a_bad_hand_edit_is_not_signed(project: Path, capsys) -> None:
    events = project / "data/raw/press/events.csv"
    meta_before = sidecar_path(events).read_bytes()
    events.write_bytes(events.read_bytes().replace(b"E01,", b"E1,", 1))
    assert refresh.main(["--resign", "events"]) == 1
    err = capsys.readouterr().err
    assert "data/raw/press/events.csv: not re-signed, it fails its checks" in err
    assert sidecar_path(events).read_bytes() == meta_before
