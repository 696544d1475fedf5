"""Where each number comes from, as a reader finds it: in the HTML page every number
opens a popover (hover, keyboard focus or a tap) with its formula, rows, raw lines and
source, at a phone's and a laptop's width, without moving the text; in the PDF every
number links to its line in the appendix "Where each number comes from"."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import open_report, quoted_variables, serious_violations

APPENDIX = "Where each number comes from"


@pytest.fixture(scope="module")
def html(site: Path) -> Path:
    return site / "index.html"


#: Where every block of text is: a popover that moved the text would change it.
LAYOUT = """() => [...document.querySelectorAll('main p, main li, main figcaption, h2')]
  .filter(e => !e.closest('.lineage-pop'))
  .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })"""


#: Numbers whose punctuation mark (the comma or full stop after, the bracket before)
#: sits on another line than the number: a line would start with a comma.
PARTED = """() => {
  const parted = [];
  const line = (a, b) => a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const mark = (node, start, text) => {
    range.setStart(node, start); range.setEnd(node, start + 1);
    if (!line(range.getBoundingClientRect(), box)) parted.push(text);
  };
  let box;
  const range = document.createRange();
  for (const number of document.querySelectorAll('main button.lineage-num')) {
    box = number.getBoundingClientRect();
    const after = number.nextSibling, before = number.previousSibling;
    if (after && after.nodeType === 3 && /^[,.;:!?)\\]]/.test(after.data)) {
      mark(after, 0, number.textContent + after.data[0]);
    }
    if (before && before.nodeType === 3 && /[(\\[]$/.test(before.data)) {
      mark(before, before.data.length - 1, before.data.slice(-1) + number.textContent);
    }
  }
  return parted;
}"""


@pytest.mark.browser
def test_no_line_starts_with_the_comma_after_a_number(browser, html: Path) -> None:
    page, _, _ = open_report(browser, html, width=1280)
    for width in (1280, 1024, 768, 390, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(100)
        assert page.evaluate(PARTED) == [], f"at {width} px"
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_every_number_opens_where_it_comes_from(browser, html: Path, width: int) -> None:
    page, requests, errors = open_report(browser, html, width=width)
    numbers = page.locator(".lineage-num")
    assert numbers.count() == len(quoted_variables())
    data = json.loads(page.inner_text("#lineage-data"))
    assert set(data) == set(quoted_variables())

    number = page.locator('button.lineage-num[data-var="china_share_baseline"]').first
    number.scroll_into_view_if_needed()
    before = page.evaluate(LAYOUT)
    number.focus()  # the keyboard's way in
    popover = page.locator(".lineage-pop")
    popover.wait_for(state="visible", timeout=5000)
    record = data["china_share_baseline"]
    text = popover.inner_text()
    assert "China\u2019s share of global hashrate in January 2021" in text  # quotes set
    assert record["raw"][0]["lines"] in text and "Source:" in text
    cells = popover.locator("tbody td").all_inner_texts()
    assert "China" in cells and "January 2021" in cells and "53.30" in cells
    assert number.get_attribute("aria-expanded") == "true"
    # Opening it moved no text, and it fits the screen.
    assert page.evaluate(LAYOUT) == before
    box = popover.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    # Tab goes on into the popover's links; Escape closes it and gives focus back.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('.lineage-pop')")
    page.keyboard.press("Escape")
    assert popover.count() == 0
    assert page.evaluate("document.activeElement.dataset.var") == "china_share_baseline"

    # A tap opens another number's popover and keeps it open; a tap elsewhere closes it.
    other = page.locator('button.lineage-num[data-var="s19_price_fall"]').first
    other.scroll_into_view_if_needed()
    other.click()
    popover.wait_for(state="visible", timeout=5000)
    assert data["s19_price_fall"]["formula"] in popover.inner_text()
    page.mouse.click(2, 2)
    assert popover.count() == 0
    assert errors == []
    assert requests == [html.as_uri()]
    page.close()


@pytest.mark.browser
def test_a_long_value_wraps_with_the_text_and_opens_from_the_keyboard(browser, html: Path) -> None:
    page, _, errors = open_report(browser, html, width=360)
    long = page.locator('.lineage-num[data-var="bitmain_countries"]').first
    assert long.evaluate("e => e.tagName") == "SPAN"
    assert long.get_attribute("role") == "button"
    long.scroll_into_view_if_needed()
    # It runs over two lines at a phone's width, inside the column.
    lines = long.evaluate("e => e.getClientRects().length")
    column = page.evaluate("document.querySelector('main').getBoundingClientRect().right")
    assert lines >= 2
    assert long.evaluate("e => Math.max(...[...e.getClientRects()].map(r => r.right))") <= column
    long.focus()
    page.locator(".lineage-pop").wait_for(state="visible", timeout=5000)
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")  # pressed like a button: pinned open
    page.locator(".lineage-pop").wait_for(state="visible", timeout=5000)
    assert long.get_attribute("aria-expanded") == "true"
    assert errors == []
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_serious_violation_with_a_popover_open(browser, html: Path, width) -> None:
    page, _, _ = open_report(browser, html, width=width)
    number = page.locator('button.lineage-num[data-var="global_ehs_fall_pct"]').first
    number.scroll_into_view_if_needed()
    number.click()
    page.locator(".lineage-pop").wait_for(state="visible", timeout=5000)
    assert serious_violations(page) == []
    page.close()


# --- the PDF --------------------------------------------------------------------------


def _destination(annotation, pages: dict[int, int]) -> tuple[int, float, float] | None:
    """The page index and place a link goes to, if it goes to a place in the file."""
    target = annotation.get("/Dest")
    if target is None and annotation.get("/A") is not None:
        target = annotation["/A"].get_object().get("/D")
    target = target.get_object() if target is not None else None
    if not isinstance(target, list) or not target:
        return None
    page = pages.get(target[0].idnum)
    return None if page is None else (page, round(float(target[2]), 1), round(float(target[3]), 1))


def test_the_pdf_appendix_lists_every_number_and_the_text_links_to_it(site: Path) -> None:
    reader = PdfReader(site / "crackdown.pdf")
    texts = [page.extract_text() or "" for page in reader.pages]
    start = max(i for i, text in enumerate(texts) if APPENDIX in text)
    appendix = " ".join(" ".join(texts[start:]).split())
    distinct = list(dict.fromkeys(quoted_variables()))
    # One entry per number, each with the pages it is on.
    entries = re.findall(r"\((?:p|pp)\. \d+(?:, \d+)*\) \u2014 ", appendix)
    assert len(entries) == len(distinct)
    assert "From " in appendix and "Raw: " in appendix and "Source: " in appendix
    # Every number of the text links to a line of the appendix, and every line is linked.
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    # The appendix may begin on the references' last page: a link lands in it when its
    # target lies below the appendix heading on that page, or on a later page.
    (heading,) = [o for o in reader.outline if getattr(o, "title", "") == APPENDIX]
    heading_page = reader.get_destination_page_number(heading)
    heading_top = round(float(heading.top), 1)  # as _destination rounds a target

    def in_appendix(where: tuple[int, float, float]) -> bool:
        return where[0] > heading_page or (where[0] == heading_page and where[2] < heading_top)

    targets = set()
    for page in reader.pages[: start + 1]:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            where = _destination(annotation, pages)
            if where is not None and in_appendix(where):
                targets.add(where)
    assert len(targets) == len(distinct)
