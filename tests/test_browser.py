"""The HTML report in a real browser: offline, every chart drawn, no errors, phone width."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

MARKS = "svg [class*='mark-'] > path, svg [class*='mark-'] > rect, svg [class*='mark-'] > line"


def chart_ids(project: Path) -> list[str]:
    qmd = (project / "reports/crackdown.qmd").read_text()
    return re.findall(r"::: \{#(fig-[\w-]+) \.chart", qmd)


def open_report(browser, html: Path, width: int = 1280):
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(html.as_uri())
    page.wait_for_function(
        "n => document.querySelectorAll('.vega-chart svg').length >= n",
        arg=len(chart_ids(html.parents[1])),
        timeout=20000,
    )
    return page, requests, errors


def test_every_chart_draws_offline_without_errors(
    browser, built_project: Path, tmp_path: Path
) -> None:
    html = built_project / "reports/crackdown.html"
    ids = chart_ids(built_project)
    assert len(ids) == 8
    page, requests, errors = open_report(browser, html)
    for chart in ids:
        marks = page.locator(f"#{chart}-view {MARKS}").count()
        assert marks > 0, f"{chart} drew no marks"
        label = page.locator(f"#{chart}-view").get_attribute("aria-label")
        assert label and len(label) > 20, f"{chart} has no text description"
    # China and its three destinations: four lines.
    assert page.locator("#fig-china-share-view svg .mark-line path").count() == 4
    assert requests == [html.as_uri()]
    assert errors == []
    page.screenshot(path=str(tmp_path / "report-1280.png"), full_page=True)
    page.close()


def test_tooltip_appears_on_hover(browser, built_project: Path) -> None:
    page, _, errors = open_report(browser, built_project / "reports/crackdown.html")
    point = page.locator("#fig-china-share-view svg .mark-symbol path").first
    point.scroll_into_view_if_needed()
    point.hover(force=True)
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5000)
    assert "Share of global hashrate" in page.inner_text("#vg-tooltip-element")
    assert errors == []
    page.close()


def test_readable_at_phone_width(browser, built_project: Path, tmp_path: Path) -> None:
    page, _, errors = open_report(browser, built_project / "reports/crackdown.html", width=390)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"horizontal scroll of {overflow} px at 390 px"
    widths = page.evaluate(
        "[...document.querySelectorAll('.vega-chart svg')]"
        ".map(s => s.getBoundingClientRect().width)"
    )
    assert max(widths) <= 390
    assert errors == []
    page.screenshot(path=str(tmp_path / "report-390.png"), full_page=True)
    page.close()


def test_html_stays_small(built_project: Path) -> None:
    size = (built_project / "reports/crackdown.html").stat().st_size
    assert size <= 1.5 * 1024 * 1024, f"{size} bytes"
