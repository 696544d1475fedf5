"""Every link of the published report resolves in the site as published: the HTML page
(index.html), its PDF and the data beside them (data/). The reader can check the
numbers: each chart links the data it was drawn from, the methods link the cleaned
tables and their dictionary, and the page links its PDF."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from pypdf import PdfReader

from conftest import chart_ids


class Links(HTMLParser):
    """Every href and src of a page, and every id in it."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None and tag != "script":
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


@pytest.fixture(scope="module")
def page(site: Path) -> Links:
    parser = Links()
    parser.feed((site / "index.html").read_text(encoding="utf-8"))
    return parser


def unresolved(site: Path, links: list[str], ids: set[str] | None) -> list[str]:
    """The links that point to nothing in the site (web links are not followed)."""
    broken = []
    for link in links:
        parts = urlsplit(link)
        if parts.scheme in ("http", "https", "data", "mailto"):
            continue
        assert not parts.scheme, f"a link of an unexpected kind: {link}"
        if parts.path:
            target = (site / unquote(parts.path)).resolve()
            if site not in target.parents or not target.is_file():
                broken.append(link)
        elif ids is not None and parts.fragment and unquote(parts.fragment) not in ids:
            broken.append(link)
    return broken


def test_every_link_of_the_page_resolves_in_the_site(site: Path, page: Links) -> None:
    assert page.links
    assert unresolved(site, page.links, page.ids) == []


def test_every_link_of_the_pdf_resolves_in_the_site(site: Path) -> None:
    uris = []
    for pdf_page in PdfReader(site / "crackdown.pdf").pages:
        for annotation in pdf_page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                uris.append(str(action["/URI"]))
    local = [u for u in uris if not urlsplit(u).scheme]
    assert "data/tables/data_dictionary.csv" in local
    assert unresolved(site, uris, None) == []


def test_the_reader_can_reach_the_pdf_every_charts_data_and_the_tables(
    site: Path, page: Links
) -> None:
    assert "crackdown.pdf" in page.links
    data = [link for link in page.links if link.startswith("data/") and link.endswith(".csv")]
    charts = [link for link in data if re.fullmatch(r"data/[a-z_]+\.csv", link)]
    assert len(charts) == len(chart_ids()) == 8
    for link in charts:
        with (site / link).open(encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        assert len(rows) > 2 and len(rows[0]) >= 2, f"{link} holds no table"
    assert "data/tables/data_dictionary.csv" in page.links
    assert "data/tables/datapackage.json" in page.links
    assert "data/tables/hashrate_by_country.csv" in page.links


def test_every_link_of_the_numbers_lineage_resolves_in_the_site(site: Path) -> None:
    """The popovers link the cleaned and the raw tables each number comes from."""
    page = (site / "index.html").read_text(encoding="utf-8")
    found = re.search(
        r'<script type="application/json" id="lineage-data">(.*?)</script>', page, re.S
    )
    assert found, "no lineage in the page"
    links = set(re.findall(r'"href":\s*"([^"]+)"', found[1]))
    local = {link for link in links if not link.startswith(("http://", "https://"))}
    assert "data/raw/ccaf/cbeci_countries.csv" in local
    assert "data/tables/hashrate_by_country.csv" in local
    assert unresolved(site, sorted(local), None) == []
