"""The published HTML page in a real browser, as a reader sees it: offline, every chart
drawn and whole at every width, tables readable on a phone, the navigation a Quarto
HTML document gives.

The page checked is the site's index.html (see the `site` fixture): a pandoc build laid
out here, or the Quarto rendering the report workflow passes with --site.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import chart_ids, open_report

pytestmark = pytest.mark.browser

MARKS = "svg [class*='mark-'] > path, svg [class*='mark-'] > rect, svg [class*='mark-'] > line"
WIDTHS = [360, 390, 768, 1280, 1600]


@pytest.fixture(scope="module")
def html(site: Path) -> Path:
    return site / "index.html"


def test_every_chart_draws_offline_without_errors(browser, html: Path) -> None:
    ids = chart_ids()
    assert len(ids) == 8
    page, requests, errors = open_report(browser, html)
    for chart in ids:
        marks = page.locator(f"#{chart}-view {MARKS}").count()
        assert marks > 0, f"{chart} drew no marks"
    # China and its three destinations: four lines.
    assert page.locator("#fig-china-share-view svg .mark-line path").count() == 4
    assert requests == [html.as_uri()]
    assert errors == []
    page.close()


def test_tooltip_appears_on_hover(browser, html: Path) -> None:
    page, _, errors = open_report(browser, html, width=390)
    point = page.locator("#fig-china-share-view svg .mark-symbol path").first
    point.scroll_into_view_if_needed()
    point.hover(force=True)
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5000)
    assert "Share of global hashrate" in page.inner_text("#vg-tooltip-element")
    assert errors == []
    page.close()


#: For every chart: its box and its drawing's, every visible text of the drawing that
#: sticks out of the box, the title and subtitle as drawn, and the legends drawn.
MEASURE = """
() => [...document.querySelectorAll('.vega-chart')].map(chart => {
  const box = chart.getBoundingClientRect();
  const svg = chart.querySelector('svg').getBoundingClientRect();
  const outside = [...chart.querySelectorAll('svg text')].filter(text => {
    const r = text.getBoundingClientRect();
    const hidden = text.getAttribute('opacity') === '0' || getComputedStyle(text).opacity === '0';
    return r.width > 0 && !hidden && (r.left < box.left - 1 || r.right > box.right + 1);
  }).map(text => text.textContent);
  // A title of several lines is one <text> of <tspan> lines.
  const lines = sel => [...chart.querySelectorAll(sel + ' text')].map(t =>
    t.querySelector('tspan') ? [...t.querySelectorAll('tspan')].map(l => l.textContent).join(' ')
                             : t.textContent);
  return {
    id: chart.id, box: [box.left, box.right], svg: [svg.left, svg.right], outside,
    title: lines('.role-title-text').join(' '), subtitle: lines('.role-title-subtitle').join(' '),
    legends: chart.querySelectorAll('.role-legend').length,
  };
})
"""


def spec_titles(page) -> dict[str, tuple[str, str, int]]:
    """Chart view id -> (title, subtitle, legends expected), from the specs in the page."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('script[id$="-spec"]')]
          .map(script => {
            const spec = JSON.parse(script.textContent);
            const join = v => [].concat(v || []).join(' ');
            const fields = JSON.stringify(spec).match(/"(color|size)":\\{"field"/g) || [];
            return [script.id.replace(/-spec$/, '-view'),
                    [join(spec.title.text), join(spec.title.subtitle), new Set(fields).size]];
          }))"""
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_every_chart_fits_its_column_whole(browser, html: Path, width: int, tmp_path) -> None:
    page, _, errors = open_report(browser, html, width=width)
    page.wait_for_timeout(300)  # the charts redraw once their column has its width
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"horizontal scroll of {overflow} px at {width} px"
        expected = spec_titles(page)
        for chart in page.evaluate(MEASURE):
            left, right = chart["box"]
            assert chart["svg"][0] >= left - 1 and chart["svg"][1] <= right + 1, chart
            assert chart["outside"] == [], f"{chart['id']} at {width} px: {chart['outside']}"
            title, subtitle, legends = expected[chart["id"]]
            assert chart["title"] == title, f"{chart['id']}: title drawn as {chart['title']!r}"
            assert chart["subtitle"] == subtitle, f"{chart['id']}: subtitle drawn differently"
            assert chart["legends"] >= legends, f"{chart['id']} at {width} px lost a legend"
        assert errors == []
    except AssertionError:
        # The page as it failed, to look at (a full-page shot takes over a second).
        page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=True)
        raise
    finally:
        page.close()


def test_laptop_layout_centres_the_text_and_keeps_the_contents_beside_it(
    browser, html: Path
) -> None:
    page, _, _ = open_report(browser, html, width=1280)
    text = page.locator("p").nth(3).bounding_box()
    toc = page.locator("nav#TOC")
    assert text["x"] > 100, "the text column is pinned to the left"
    box = toc.bounding_box()
    assert box["x"] >= text["x"] + text["width"], "the contents are not beside the text"
    # Scrolled to a later section, the contents stay in view and mark that section.
    links = toc.locator("a[href^='#']")
    target = links.nth(4).get_attribute("href")
    page.evaluate("id => document.getElementById(id).scrollIntoView()", target[1:])
    page.wait_for_timeout(400)
    box = toc.bounding_box()
    assert 0 <= box["y"] < 900 and box["height"] > 100
    active = toc.locator("a.active")
    assert active.count() >= 1, "no section of the contents is marked current"
    assert target in [active.nth(i).get_attribute("href") for i in range(active.count())]
    page.close()


def test_every_section_heading_has_an_anchor(browser, html: Path) -> None:
    page, _, _ = open_report(browser, html)
    missing = page.evaluate(
        """() => [...document.querySelectorAll('h2, h3')]
          .filter(h => !h.closest('nav'))
          .filter(h => ![...h.querySelectorAll('a[href^="#"]')].some(a => {
            const target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
            return target && (target === h || target.contains(h));
          })).map(h => h.textContent)"""
    )
    assert missing == []
    page.close()


@pytest.mark.parametrize("kind", ["#ref-", "#fig-", "#tbl-"])
def test_citations_and_cross_references_show_their_target_on_hover(
    browser, html: Path, kind: str
) -> None:
    page, _, _ = open_report(browser, html)
    link = page.locator(f"main a[href^='{kind}'], body > p a[href^='{kind}'], li a[href^='{kind}']")
    link = link.first
    target_id = link.get_attribute("href")[1:]
    # What the target says: a reference entry's text, a figure's or table's caption.
    expected = page.evaluate(
        """id => { const t = document.getElementById(id);
                  return (t.querySelector('figcaption, caption') || t).textContent; }""",
        target_id,
    )
    link.scroll_into_view_if_needed()
    link.hover()
    tip = page.locator("[role='tooltip']:visible").first
    tip.wait_for(timeout=5000)
    shown = " ".join(tip.inner_text().split())
    words = re.findall(r"[A-Za-z]{5,}", expected)[:4]
    assert words and all(w in shown for w in words), (expected, shown)
    page.close()


def test_phone_tables_stack_into_readable_rows(browser, html: Path, tmp_path) -> None:
    page, _, _ = open_report(browser, html, width=390)
    cells = page.evaluate(
        """() => [...document.querySelectorAll('table')].filter(t => t.querySelector('td'))
          .flatMap(t => [...t.querySelectorAll('td')])
          .map(td => ({w: td.getBoundingClientRect().width, r: td.getBoundingClientRect().right,
                       label: getComputedStyle(td, '::before').content}))"""
    )
    assert cells
    for cell in cells:
        assert cell["r"] <= 390, cell
        # A row is a stack of "column: value" lines, each as wide as the column.
        assert cell["w"] >= 300, cell
        assert cell["label"] not in ("none", "normal", '""'), cell
    page.locator(".data-table").first.screenshot(path=str(tmp_path / "ledger-390.png"))
    page.close()


def test_numbers_right_text_left(browser, html: Path) -> None:
    page, _, _ = open_report(browser, html, width=1280)
    cells = page.evaluate(
        """() => [...document.querySelectorAll('td')].map(td => ({
              text: td.textContent.trim(), align: getComputedStyle(td).textAlign}))"""
    )
    numeric = re.compile(r"^[-+]?\d[\d,. ]*%?$")
    assert any(numeric.match(c["text"]) for c in cells)
    for cell in cells:
        if numeric.match(cell["text"]):
            assert cell["align"] == "right", cell
        elif re.search(r"[A-Za-z]{3}", cell["text"]):
            assert cell["align"] in ("left", "start"), cell
    page.close()


def test_printing_gives_a_clean_document(browser, html: Path) -> None:
    page, _, _ = open_report(browser, html, width=1280)
    page.emulate_media(media="print")
    assert not page.locator("nav#TOC").is_visible()
    assert page.locator(".chart-data").first.is_hidden()
    width = page.evaluate("document.documentElement.clientWidth")
    for box in page.evaluate(
        "[...document.querySelectorAll('.vega-chart svg')].map(s => s.getBoundingClientRect())"
    ):
        assert box["right"] <= width + 1
    page.close()
