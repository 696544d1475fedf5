"""The PDF publication: text, captions, contents, references, vector charts, fonts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import require


@pytest.fixture(scope="module")
def pdf(built_project: Path) -> Path:
    return built_project / "reports/crackdown.pdf"


def text_of(pdf: Path) -> str:
    pages = (" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages)
    # Typst sets typographic apostrophes; the source has straight ones.
    return " ".join(pages).replace("\u2019", "'")


def captions(project: Path) -> list[str]:
    """The first words of every figure and table caption in the document."""
    qmd = (project / "reports/crackdown.qmd").read_text()
    found = re.findall(r"^::: \{#(?:fig|tbl)-[^\n]*\}\n([^\n{]+)", qmd, flags=re.M)
    return [" ".join(caption.split()[:5]) for caption in found]


def test_title_contents_and_every_caption(pdf: Path, built_project: Path) -> None:
    text = text_of(pdf)
    assert "After the ban" in text
    assert "Abstract" in text and "Contents" in text
    expected = captions(built_project)
    assert len(expected) == 11  # eight figures, three tables
    for caption in expected:
        assert caption in text, caption
    for number in range(1, 9):
        assert f"Figure {number}:" in text
    for number in range(1, 4):
        assert f"Table {number}:" in text


def test_no_unresolved_reference_or_shortcode(pdf: Path) -> None:
    text = text_of(pdf)
    for unresolved in ("??", "[@", "{{<", "@fig-", "@tbl-"):
        assert unresolved not in text
    assert "References" in text and "Coin Metrics" in text


def test_page_count_and_page_numbers(pdf: Path) -> None:
    reader = PdfReader(pdf)
    assert 6 <= len(reader.pages) <= 20
    last = " ".join((reader.pages[-1].extract_text() or "").split())
    assert last.rstrip().endswith(str(len(reader.pages)))


def test_charts_are_vector_not_bitmap(pdf: Path) -> None:
    reader = PdfReader(pdf)
    forms = 0
    for page in reader.pages:
        assert not page.images, "the PDF holds a bitmap image"
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for ref in xobjects.values():
            forms += ref.get_object().get("/Subtype") == "/Form"
    assert forms >= 8, "not every chart is embedded as a vector form"


def test_all_fonts_are_embedded(pdf: Path) -> None:
    pdffonts = shutil.which("pdffonts")
    require(pdffonts, "pdffonts from poppler-utils, to list the PDF's fonts")
    listing = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        # Columns after the name and type: encoding, emb, sub, uni, object id.
        assert row.split()[-5] == "yes", row
    assert any("LiberationSans" in row for row in rows), "chart font missing"
