"""The PDF publication: text, captions and vector charts."""

from __future__ import annotations

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
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages)


def test_title_and_caption_are_in_the_text(pdf: Path) -> None:
    text = text_of(pdf)
    assert "After the ban" in text
    assert "Figure 1: China’s monthly share of global Bitcoin hashrate" in text
    for unresolved in ("??", "[@", "{{<", "@fig-"):
        assert unresolved not in text


def test_chart_is_vector_not_bitmap(pdf: Path) -> None:
    reader = PdfReader(pdf)
    forms = 0
    for page in reader.pages:
        assert not page.images, "the PDF holds a bitmap image"
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for ref in xobjects.values():
            forms += ref.get_object().get("/Subtype") == "/Form"
    assert forms >= 1, "the chart is not embedded as a vector form"


def test_all_fonts_are_embedded(pdf: Path) -> None:
    pdffonts = shutil.which("pdffonts")
    require(pdffonts, "pdffonts from poppler-utils, to list the PDF's fonts")
    listing = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        assert " yes " in row.split("Identity-H")[-1] or row.split()[-5] == "yes", row
    assert any("LiberationSans" in row for row in rows), "chart font missing"
