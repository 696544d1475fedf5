"""The PDF publication: text, captions, contents, references, vector charts, fonts."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, quoted_variables, require


@pytest.fixture(scope="module")
def pdf(site: Path) -> Path:
    """The PDF as published beside the page (see the `site` fixture)."""
    return site / "crackdown.pdf"


def text_of(pdf: Path) -> str:
    pages = (" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages)
    # Typst sets typographic apostrophes; the source has straight ones.
    return " ".join(pages).replace("\u2019", "'")


def captions(project: Path) -> list[str]:
    """The first words of every figure and table caption in the document."""
    qmd = (project / "reports/index.qmd").read_text()
    found = re.findall(r"^::: \{#(?:fig|tbl)-[^\n]*\}\n([^\n{]+)", qmd, flags=re.M)
    return [" ".join(caption.split()[:5]) for caption in found]


def test_title_contents_and_every_caption(pdf: Path) -> None:
    text = text_of(pdf)
    assert "After the ban" in text
    assert "Abstract" in text and "Contents" in text
    expected = captions(ROOT)
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
    texts = [page.extract_text() or "" for page in reader.pages]
    # The brief, then the appendix "Where each number comes from" (in two columns).
    appendix = max(i for i, text in enumerate(texts) if "Where each number comes from" in text)
    assert 6 <= appendix <= 20
    # Two columns of small type: some twenty-five numbers a page, not a page each.
    numbers = len(dict.fromkeys(quoted_variables()))
    assert len(reader.pages) - appendix <= numbers / 20
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


def test_no_page_is_more_than_half_empty_but_the_last(pdf: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    require(pdftoppm, "pdftoppm from poppler-utils, to see how full each page is")
    fills = page_fill(pdf, pdftoppm)
    assert len(fills) == len(PdfReader(pdf).pages)
    for number, fill in enumerate(fills[:-1], start=1):
        assert fill >= 0.5, f"page {number} is {1 - fill:.0%} empty: {fills}"


def page_fill(pdf: Path, pdftoppm: str, dpi: int = 30) -> list[float]:
    """For each page, the share of the text area's height down to its last inked row
    (margins of 2.5 cm above and below; the page number sits in the bottom margin)."""
    fills = []
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([pdftoppm, "-gray", "-r", str(dpi), str(pdf), f"{scratch}/p"], check=True)
        for image in sorted(Path(scratch).glob("p-*.pgm")):
            _, size, _, pixels = image.read_bytes().split(b"\n", 3)
            width, height = map(int, size.split())
            top, bottom = round(height * 2.5 / 29.7), round(height * 27.2 / 29.7)
            inked = [
                y for y in range(top, bottom) if min(pixels[y * width : (y + 1) * width]) < 200
            ]
            fills.append((max(inked, default=top) - top) / (bottom - top))
    return fills


def test_metadata_names_title_author_subject_keywords_and_language(pdf: Path) -> None:
    reader = PdfReader(pdf)
    info = reader.metadata
    assert info.title == "After the ban"
    assert info.author == "The mining-migration report project"
    assert "crackdown on Bitcoin mining" in (info.subject or "")
    assert "Bitcoin" in (info.get("/Keywords") or "")
    assert str(reader.trailer["/Root"].get("/Lang", "")).startswith("en")


def test_long_tables_repeat_their_header_and_numbers_keep_their_unit(pdf: Path) -> None:
    pages = [page.extract_text() or "" for page in PdfReader(pdf).pages]
    ledger = [text for text in pages if re.search(r"Second\s+claim", text)]
    assert len(ledger) >= 2, "the conflict ledger fits one page: nothing to repeat"
    for text in ledger:
        assert re.search(r"Topic\s+First\s+claim\s+Second\s+claim\s+Used\s+Why", text), text[:300]
    for text in pages:
        for line in text.splitlines():
            assert not re.match(r"\s*(%|EH/s|TH/s)(\s|$)", line), f"a unit begins a line: {line}"
