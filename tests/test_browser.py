"""The HTML report in a real browser: offline, charts drawn, no errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import chromium_path, require

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    executable = chromium_path()
    require(executable, "Debian chromium, for the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            offline=True,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


def open_report(browser, html: Path, width: int = 1280):
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(html.as_uri())
    page.wait_for_selector(".vega-chart svg .mark-line path", timeout=15000)
    return page, requests, errors


def test_chart_draws_offline_without_errors(browser, built_project: Path, tmp_path: Path) -> None:
    html = built_project / "reports/crackdown.html"
    page, requests, errors = open_report(browser, html)
    lines = page.locator(".vega-chart svg .mark-line path").count()
    points = page.locator(".vega-chart svg .mark-symbol path").count()
    assert lines == 4  # China, United States, Kazakhstan, Russia
    assert points > 100
    assert requests == [html.as_uri()]
    assert errors == []
    page.screenshot(path=str(tmp_path / "report-1280.png"), full_page=True)
    page.close()


def test_tooltip_appears_on_hover(browser, built_project: Path) -> None:
    page, _, errors = open_report(browser, built_project / "reports/crackdown.html")
    point = page.locator(".vega-chart svg .mark-symbol path").first
    point.hover(force=True)
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5000)
    assert "Share" in page.inner_text("#vg-tooltip-element")
    assert errors == []
    page.close()
