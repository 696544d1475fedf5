"""Every number in the report's prose comes from the data, through _variables.yml."""

from __future__ import annotations

import re

from conftest import ROOT, VAR_SHORTCODE

QMD = ROOT / "reports" / "index.qmd"

#: Words that name a time: a typed one is a date or period the data should give.
#: Months are capitalised (the verb "may" is not one); seasons in any case.
PERIOD_WORDS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?i:spring|summer|autumn|winter|quarter)|(19|20)\d\d)\b"
)


def prose(text: str) -> str:
    """The words the document types itself: without the front matter's settings (the
    abstract stays), numbers from the data, block attributes, references and citations."""
    if text.startswith("---\n"):
        front, text = text[4:].split("\n---\n", 1)
        abstract = re.search(r"^abstract: \|\n((?:  .*\n)+)", front + "\n", flags=re.M)
        text = (abstract[1] if abstract else "") + text
    text = VAR_SHORTCODE.sub(" ", text)  # numbers from the data
    text = re.sub(r"^:::.*$", " ", text, flags=re.M)  # block attributes (paths, widths)
    text = re.sub(r"@(fig|tbl)-[\w-]+", " ", text)  # cross-references
    return re.sub(r"\[@[^\]]+\]", " ", text)  # citations (keys name raw tables)


def prose_digits(text: str) -> list[str]:
    """Numbers the text types itself, outside quotation marks (a quoted figure is its
    source's, cited beside it). Standalone numbers only: F2Pool or M30S are words."""
    unquoted = re.sub(r'"[^"\n]*"', " ", prose(text))
    return re.findall(r"(?<!\w)\d+(?:[.,]\d+)*(?!\w)", unquoted)


def typed_periods(text: str) -> list[str]:
    """Months, seasons, quarters and years the text types itself, outside quotation
    marks (a quotation gives a source's words as they are)."""
    unquoted = re.sub(r'"[^"\n]*"', " ", prose(text))
    return [match[0] for match in PERIOD_WORDS.finditer(unquoted)]


def test_the_prose_types_no_number() -> None:
    assert prose_digits(QMD.read_text(encoding="utf-8")) == []


def test_the_prose_types_no_date_or_period() -> None:
    assert typed_periods(QMD.read_text(encoding="utf-8")) == []


def test_the_check_catches_a_typed_number() -> None:
    text = "China held 46.04 % in {{< var pre_crackdown_month >}} and 21 % in 2022 (F2Pool)."
    assert prose_digits(text) == ["46.04", "21", "2022"]
    assert prose_digits("In {{<var month_2 >}}, 3 of {{< var count_9 >}}.") == ["3"]
    assert prose_digits('It said "more than 90 per cent" [@a-2021-page], not 80.') == ["80"]


def test_the_check_catches_a_typed_period_but_not_a_quotation() -> None:
    text = (
        "---\ntitle: The 2021 crackdown\nabstract: |\n  Since April, prices fell.\n---\n"
        'In June the orders came, by the summer of {{<var year >}}; the "summer high" of '
        "Luxor, and {{<var first_quarter >}} [@coindesk-2021-report]; it may."
    )
    assert typed_periods(text) == ["April", "June", "summer"]


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
    # The pandoc engine reads the document without raw HTML (src/mining_report/report/render.py),
    # so a tag would be printed as text; markup belongs in pandoc's own syntax. (An HTML
    # comment is fine: the engine removes comments before pandoc reads the document.)
    assert html_tags(QMD.read_text(encoding="utf-8")) == []


def test_the_raw_html_check_catches_a_tag_and_passes_a_shortcode() -> None:
    text = (
        "In {{< var ccaf_first_month >}} China<br> held <span class='x'>most</span> {{<var n >}}."
    )
    assert html_tags(text) == ["<br>", "<span ", "</span>"]


#: A quotation in the ledger: single or double quotes that open after a non-letter and
#: close before one (so the apostrophes of "world's" or "BitFuFu's" are not quotes).
QUOTED = re.compile(r"""(?<!\w)(['"])(?:(?!\1).|\1(?=\w))*\1(?!\w)""")


def unquoted_figures(text: str) -> list[str]:
    """Digits and time words outside quotations: what the ledger would type itself."""
    bare = QUOTED.sub(" ", text)
    return re.findall(r"\d+", bare) + [match[0] for match in PERIOD_WORDS.finditer(bare)]


def test_the_ledger_gives_figures_only_as_quotations() -> None:
    import csv

    path = ROOT / "data" / "raw" / "press" / "conflicting_figures.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        typed = {
            row["conflict_id"]: unquoted_figures(row["why"])
            for row in csv.DictReader(handle)
            if unquoted_figures(row["why"])
        }
    assert typed == {}


def test_the_ledger_check_reads_quotes_not_apostrophes() -> None:
    text = "newsbsc.com's '87k' is the FT's total ('87,849' in its relays, BitFuFu's '80,000')"
    assert unquoted_figures(text) == []
    assert unquoted_figures("the world's 35 % in April, 'since April'") == ["35", "April"]


def test_every_long_quotation_is_a_statement_of_the_raw_table_cited_to_its_page() -> None:
    """A quotation of five words or more is the words of a row of source_statements,
    as they stand there, and its paragraph cites that row's page."""
    import pandas as pd

    from mining_report.report.bibliography import PRESS_TABLES, citation_keys, pages

    press = {t: pd.read_csv(ROOT / "data/raw/press" / f"{t}.csv") for t in PRESS_TABLES}
    keys = citation_keys(pages(press))
    statements = pd.read_csv(ROOT / "data/raw/press/source_statements.csv")
    page_of = {
        row.quote: keys[f"source_statements-{row.statement_id}"] for row in statements.itertuples()
    }
    text = QMD.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    problems = []
    quoted = 0
    for paragraph in re.split(r"\n\s*\n", text):
        flat = " ".join(paragraph.split())
        for passage in re.findall(r'"([^"]+)"', flat):
            if len(passage.split()) < 5 or "{{<" in passage:
                continue
            quoted += 1
            if passage not in page_of:
                problems.append(f"not a statement of the table: {passage!r}")
            elif f"@{page_of[passage]}" not in flat:
                problems.append(f"{passage!r} without [@{page_of[passage]}]")
    assert problems == []
    assert quoted >= 10  # the check ran over the brief's quotations
