"""The HTML page for readers who use assistive technology: axe-core finds no serious or
critical violation at a laptop's and a phone's width, the document says its language,
headings go in order, and every chart has a text alternative drawn from its data."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from conftest import chart_ids, open_report, serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def html(site: Path) -> Path:
    return site / "index.html"


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_serious_or_critical_violation(browser, html: Path, width: int) -> None:

    page, requests, _ = open_report(browser, html, width=width)
    assert serious_violations(page) == []
    # axe-core came with the package: nothing was fetched.
    assert requests == [html.as_uri()]
    page.close()


def test_language_and_heading_order(browser, html: Path) -> None:
    page, _, _ = open_report(browser, html)
    assert page.evaluate("document.documentElement.lang").startswith("en")
    # The document's outline: the headings of navigation (Quarto's "Contents" beside
    # the text) are not part of it.
    levels = page.evaluate(
        "[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]"
        ".filter(h => !h.closest('nav')).map(h => +h.tagName[1])"
    )
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"a heading jumps from h{before} to h{after}"
    page.close()


def test_every_chart_has_a_text_alternative_from_its_data(browser, html: Path) -> None:
    page, _, _ = open_report(browser, html)
    for chart in chart_ids():
        view = page.locator(f"#{chart}-view")
        label = view.get_attribute("aria-label") or ""
        spec = page.evaluate(
            "id => JSON.parse(document.getElementById(id).textContent).description", f"{chart}-spec"
        )
        assert label == spec, f"{chart}: the text alternative is not the spec's description"
        # What it shows, over which range (a year at least) and what it finds (a number).
        assert len(label) > 80 and any(c.isdigit() for c in label), f"{chart}: {label!r}"
    page.close()


#: What a screen reader would read out of a mark if the chart let Vega-Lite describe
#: it from its encodings: field names, and aggregates of them.
FIELD_WORDS = r"\b[a-z]+_[a-z_]+\b|\b(Min|Max|Sum|Mean|Count) of\b|\(year-month\)"

MARK_LABELS = """() => [...document.querySelectorAll('.vega-chart [aria-label]')]
  .filter(e => e.getAttribute('aria-roledescription') !== 'graphics-document'
            && !/^(X|Y)-axis|legend|^Title text|^Subtitle text/.test(e.getAttribute('aria-label')))
  .map(e => e.getAttribute('aria-label'))"""


def test_a_screen_reader_hears_the_words_of_the_axes_not_field_names(browser, html: Path) -> None:
    import re

    page, _, _ = open_report(browser, html)
    labels = page.evaluate(MARK_LABELS)
    assert len(labels) > 100  # every point, bar and line of the charts says something
    offending = sorted({label for label in labels if re.search(FIELD_WORDS, label)})
    assert offending == [], offending[:5]
    page.close()


def test_the_field_name_check_catches_vega_lites_own_descriptions() -> None:
    import re

    assert re.search(FIELD_WORDS, "date_announced: Feb 2021; where: Inner Mongolia")
    assert re.search(FIELD_WORDS, "Min of share_pct: 0.9; country: Canada")
    assert not re.search(FIELD_WORDS, "Canada, January 2021, baseline: 0.90 % of global hashrate")
