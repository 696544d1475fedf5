"""Every number in the report's prose comes from the data, through _variables.yml."""

from __future__ import annotations

import re

from conftest import ROOT, VAR_SHORTCODE

QMD = ROOT / "reports" / "index.qmd"

#: Digits the text may hold itself: years (and so dates written out in words).
YEAR = re.compile(r"^(19|20)\d\d$")


def prose_digits(text: str) -> list[str]:
    text = VAR_SHORTCODE.sub(" ", text)  # numbers from the data
    text = re.sub(r"^:::.*$", " ", text, flags=re.M)  # block attributes (paths, widths)
    text = re.sub(r"@(fig|tbl)-[\w-]+", " ", text)  # cross-references
    text = re.sub(r"\[@[^\]]+\]", " ", text)  # citations (keys name raw tables)
    # Standalone numbers only: names such as F2Pool or M30S are words.
    numbers = re.findall(r"(?<!\w)\d+(?:[.,]\d+)*(?!\w)", text)
    return [n for n in numbers if not YEAR.match(n)]


def test_the_prose_types_no_number() -> None:
    assert prose_digits(QMD.read_text(encoding="utf-8")) == []


def test_the_check_catches_a_typed_number() -> None:
    text = "China held 46.04 % in {{< var pre_crackdown_month >}} and 21 % in 2022 (F2Pool)."
    assert prose_digits(text) == ["46.04", "21"]
    assert prose_digits("In {{<var month_2 >}}, 3 of {{< var count_9 >}}.") == ["3"]


def test_the_body_writes_numbers_compact_and_the_front_matter_spaced() -> None:
    # {{<var name >}} reads several times faster than {{< var name >}} (a Quarto render of
    # the report took 2.7 s instead of 4.6 s to Typst), but YAML's markdown would read it
    # as an HTML <var> tag: the front matter keeps the spaced spelling. The space before
    # >}} is needed: Quarto 1.7 reads "{{<var a>}} = {{<var b>}}" as one broken shortcode
    # and drops the text after it.
    text = QMD.read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    assert re.findall(r"\{\{<\s*var\s+[\w-]+\s*>", body) == [
        f"{{{{<var {name} >" for name in VAR_SHORTCODE.findall(body)
    ]
    assert re.findall(r"\{\{<\s*var", front) == ["{{< var"] * len(VAR_SHORTCODE.findall(front))


def test_the_qmd_has_no_code_cells() -> None:
    assert "```{" not in QMD.read_text(encoding="utf-8")


#: An HTML tag in the text; a {{< var name >}} shortcode is not one.
HTML_TAG = re.compile(r"(?<!\{\{)</?[A-Za-z][\w-]*[\s/>]")


def html_tags(text: str) -> list[str]:
    return HTML_TAG.findall(text)


def test_the_qmd_has_no_raw_html() -> None:
    # The pandoc engine reads the document without raw HTML (src/mining_report/render.py),
    # so a tag would be printed as text; markup belongs in pandoc's own syntax. (An HTML
    # comment is fine: the engine removes comments before pandoc reads the document.)
    assert html_tags(QMD.read_text(encoding="utf-8")) == []


def test_the_raw_html_check_catches_a_tag_and_passes_a_shortcode() -> None:
    text = (
        "In {{< var ccaf_first_month >}} China<br> held <span class='x'>most</span> {{<var n >}}."
    )
    assert html_tags(text) == ["<br>", "<span ", "</span>"]
