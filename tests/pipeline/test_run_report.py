"""`make run-report`: Snakemake's own report of a run, browsable offline."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

# Snakemake's run report is written once, on one worker, for all of this module's tests.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("run_report")]


@pytest.fixture(scope="module")
def run_report(
    built_project: Path, built_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    target = tmp_path_factory.mktemp("run-report") / "run-report.html"
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "--force-use-threads",
        "--config",
        "render_engine=pandoc",
    ]
    done = subprocess.run(
        [*command, "--report", str(target)],
        cwd=built_project,
        env=built_env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return target


def test_the_run_report_lists_every_chart_and_table_offline(
    browser, run_report: Path, built_project: Path
) -> None:
    charts = sorted(p.name for p in (built_project / "reports/figures").glob("*.svg"))
    tables = sorted(p.name for p in (built_project / "data/processed").glob("*.csv"))
    assert len(charts) >= 8
    page = browser.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(run_report.as_uri())
    page.get_by_text("Charts", exact=True).click()
    page.wait_for_selector("text=reports/figures/", timeout=10000)
    listed = page.inner_text("body")
    for chart in charts:
        assert f"reports/figures/{chart}" in listed
    page.get_by_text("Results", exact=True).click()
    page.get_by_text("Cleaned tables", exact=True).click()
    page.wait_for_selector("text=data/processed/", timeout=10000)
    listed = page.inner_text("body")
    for table in tables:
        assert f"data/processed/{table}" in listed
    page.close()
    assert errors == []
    assert [url for url in requests if not url.startswith(("file:", "data:", "blob:"))] == []


def test_each_chart_caption_names_the_tables_it_was_drawn_from(run_report: Path) -> None:
    html = run_report.read_text(encoding="utf-8")
    # Captions come from workflow/report/*.rst, filled with each job's own inputs:
    # Figure 2 (China against its destinations) reads two cleaned tables.
    caption = re.search(r"Chart <tt[^>]*>china_share</tt>.*?</p>", html, re.DOTALL)
    assert caption, "no caption for china_share"
    drawn_from = re.findall(r"data/processed/(\w+)\.parquet", caption.group(0))
    assert drawn_from == ["hashrate_by_country", "shutdowns"]
    assert "The run that built" in html
