"""What a reader sees, in the built HTML and PDF: no file names, row ids or codes.

The report is read by people who do not have the project's tables open. These
tests read the rendered text (not the .qmd) and list every offending snippet, with
the words around it, so a failure says where to look:

- a seed article's file name ("004_3fbfbf5ea60b410f.txt");
- a row id of the press tables or the ledger (E08, M30, K05, P03);
- a snake_case name (``cbeci_countries``), outside web addresses;
- a number of five or more digits without thousands separators, outside addresses;
- a % sign after a plain space (a line may break there: use U+00A0 or nothing);
- "n.d." in the reference of a source whose row or sidecar has a date.

And the conflict ledger's choices must show in the text: for every conflict where
the report uses one claim, that claim's value is quoted outside the ledger table.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from mining_report.formatting import reader_value
from mining_report.report.bibliography import PRESS_TABLES, pages

#: Each check: a name and the pattern of what it refuses.
CHECKS: dict[str, re.Pattern[str]] = {
    "seed file name": re.compile(r"[0-9]{3}_[0-9a-f]{16}(\.txt)?"),
    "row id": re.compile(r"\b[EMKP][0-9]{2}\b"),
    "snake_case name": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "digits without separators": re.compile(r"(?<![\w.,-])\d{5,}(?![\w])"),
    "% after a plain space": re.compile(r" %"),
    # A closing quote after a digit set as a prime ('205,000′): a straight quote reached
    # Typst, which takes it for one.
    "prime for a quote": re.compile("\u2032"),
    "straight quote": re.compile("['\"]"),
}

#: A web address, or a piece of one that a line break cut off (a path, a query
#: such as ``?p=123``, a page name such as ``152700246.html``): not prose.
ADDRESS = re.compile(r"https?://\S+|\S*/\S*|\S*\?\S*|\S*\w=\w\S*|\S*\.html?\b\S*")


@dataclass
class Rendered:
    """The visible text of the page, by region."""

    body: list[str] = field(default_factory=list)
    ledger: list[str] = field(default_factory=list)
    references: dict[str, list[str]] = field(default_factory=dict)


class _Text(HTMLParser):
    """Visible text: no scripts, styles or attribute values (addresses in href stay out)."""

    HIDDEN = {"script", "style", "svg", "title"}
    VOID = {"br", "img", "hr", "meta", "link", "input", "col", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Rendered()
        self.stack: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        ident = dict(attrs).get("id")
        self.stack.append((tag, ident))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        tags = [tag for tag, _ in self.stack]
        ids = [ident for _, ident in self.stack if ident]
        if self.HIDDEN & set(tags):
            return
        entry = next((i[len("ref-") :] for i in reversed(ids) if i.startswith("ref-")), None)
        if entry is not None:
            self.out.references.setdefault(entry, []).append(data)
        elif "tbl-conflicts" in ids:
            self.out.ledger.append(data)
        else:
            self.out.body.append(data)


def rendered_html(path: Path) -> Rendered:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.out


def prose(text: str) -> str:
    """Text with web addresses taken out; whitespace folded, non-breaking spaces kept."""
    return re.sub(r"[ \t\r\n]+", " ", ADDRESS.sub(" ", text))


def offences(text: str, checks: Iterable[str] = CHECKS) -> list[str]:
    """Every offending snippet in ``text``: "<check>: …words around it…"."""
    text = prose(text)
    found = []
    for name in checks:
        for match in CHECKS[name].finditer(text):
            start, end = max(match.start() - 40, 0), match.end() + 40
            found.append(f"{name}: …{text[start:end]}…")
    return found


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


# --- the checks themselves ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("as newsbsc.com (seed 004_3fbfbf5ea60b410f.txt) said", "seed file name"),
        ("the FT’s figure (M30) for the S19", "row id"),
        ("see K05 in the ledger", "row id"),
        ("Source: cbeci_countries", "snake_case name"),
        ("205000 machines", "digits without separators"),
        ("China held 46.04 % of the hashrate", "% after a plain space"),
        ("the \u2018205,000\u2032 that newsbsc.com gives", "prime for a quote"),
        ("CCAF's country series", "straight quote"),
    ],
)
def test_the_checker_finds(text: str, check: str) -> None:
    assert [line.split(":", 1)[0] for line in offences(text)] == [check]


@pytest.mark.parametrize(
    "text",
    [
        "MicroBT’s M30S units; 205,000 machines; in 2021; 46.04\u00a0% of the hashrate",
        "https://example.org/2021/06/some_path_33290436 and www.example.org/a_b/123456",
        "46.04% of it; 9 June 2021; 0.123456 EH/s",
    ],
)
def test_the_checker_passes_reader_text(text: str) -> None:
    assert offences(text) == []


def test_the_html_reader_separates_body_ledger_and_references() -> None:
    html = (
        '<p>Body 205,000 <a href="https://x.org/a_b">link</a></p><script>var a_b=1;</script>'
        '<table id="tbl-conflicts"><tr><td>ledger M30</td></tr></table>'
        '<div id="refs"><div id="ref-events-E08" class="csl-entry">CoinDesk. 2021.</div></div>'
    )
    parser = _Text()
    parser.feed(html)
    assert "".join(parser.out.body).split() == ["Body", "205,000", "link"]
    assert parser.out.ledger == ["ledger M30"]
    assert parser.out.references == {"events-E08": ["CoinDesk. 2021."]}


# --- the built report ------------------------------------------------------------------


@pytest.fixture(scope="module")
def html(built_project: Path) -> Rendered:
    return rendered_html(built_project / "reports/crackdown.html")


def _report(found: list[str], where: str) -> str:
    return f"{len(found)} offence(s) in the {where}:\n  " + "\n  ".join(found)


def test_the_html_shows_readers_no_codes(site: Path) -> None:
    html = rendered_html(site / "index.html")  # each engine's render
    text = " ".join([*html.body, *html.ledger, *(" ".join(t) for t in html.references.values())])
    found = offences(text)
    assert not found, _report(found, "HTML")


def _lineage_text(value: object) -> list[str]:
    """Every text the popovers show (addresses in href are not shown)."""
    if isinstance(value, dict):
        return [t for key, item in value.items() if key != "href" for t in _lineage_text(item)]
    if isinstance(value, list):
        return [t for item in value for t in _lineage_text(item)]
    return [str(value)] if isinstance(value, str) else []


def test_the_popovers_show_readers_no_codes(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    found = re.search(
        r'<script type="application/json" id="lineage-data">(.*?)</script>', page, re.S
    )
    assert found, "no lineage in the page"
    lineage = json.loads(found[1])
    assert len(lineage) > 100
    problems = offences(" ".join(_lineage_text(lineage)))
    assert not problems, _report(problems, "popovers")


def test_the_pdf_shows_readers_no_codes(site: Path) -> None:
    # The PDF's text cannot tell a non-breaking space from a space: that check is the HTML's.
    checks = [name for name in CHECKS if name != "% after a plain space"]
    found = offences(pdf_text(site / "crackdown.pdf"), checks)
    assert not found, _report(found, "PDF")


def _own_dates(project: Path) -> dict[str, object]:
    """Citation key -> the date the data give its source (the page's own day or year,
    the day its text dates itself, a dataset's publication date), if any."""
    interim = project / "data/interim"
    press = {table: pd.read_parquet(interim / f"{table}.parquet") for table in PRESS_TABLES}
    articles = pd.read_parquet(interim / "press_articles.parquet")
    dates: dict[str, object] = {
        page.key(): page.day or page.year or page.written for page in pages(press, articles)
    }
    for meta in (project / "data/raw").rglob("*.meta.yml"):
        published = re.search(r"^published: *([0-9]{4}-[0-9]{2}-[0-9]{2})", meta.read_text(),
                              flags=re.M)  # fmt: skip
        dates[meta.name.removesuffix(".meta.yml")] = published[1] if published else None
    return dates


def test_n_d_only_where_no_date_is_known(html: Rendered, built_project: Path) -> None:
    assert html.references, "no reference list in the HTML"
    dates = _own_dates(built_project)
    found = [
        f"{key}: prints n.d. but its source is dated {dates.get(key)}"
        for key, parts in sorted(html.references.items())
        if "n.d." in "".join(parts) and dates.get(key)
    ]
    assert not found, "\n".join(found)


def _quoted(value: str) -> re.Pattern[str]:
    """The value as the report prints it, not as part of a longer number."""
    return re.compile(rf"(?<![\d.,]){re.escape(reader_value(value))}(?![\d]|[.,]\d)")


def test_the_ledger_s_choice_is_quoted_in_the_text(html: Rendered, built_project: Path) -> None:
    ledger = pd.read_csv(built_project / "data/processed/source_conflicts.csv", dtype=str)
    text = prose(" ".join(html.body))
    missing = []
    for row in ledger.itertuples():
        if row.used not in ("a", "b"):
            continue
        value = getattr(row, f"claim_{row.used}_value")
        if not _quoted(value).search(text):
            missing.append(f"{row.topic}: '{reader_value(value)}' is not in the text")
    assert not missing, (
        f"{len(missing)} ledger choice(s) the text does not quote:\n  " + "\n  ".join(missing)
    )


def test_a_quoted_value_is_found_as_printed() -> None:
    assert _quoted("205000").search("at least 205,000 machines")
    assert not _quoted("205000").search("1,205,000 machines")
    assert _quoted("2021-06-09").search("announced on 9 June 2021.")
    assert not _quoted("35.76").search("35.765")
    assert _quoted("shutdown order").search("Xinjiang's shutdown order of 9 June")


def test_the_dates_a_reference_may_not_hide(built_project: Path) -> None:
    dates = {key: str(day) if day else None for key, day in _own_dates(built_project).items()}
    assert dates["coindesk-2021-some-xinjiang-bitcoin"] == "2021-06-09"
    assert dates["forkast-news-nd-chinas-xinjiang-qinghai"] is None  # the page shows no date
    # An FT relay: 21 November is the FT's (inferred) date, not the page's.
    assert dates["ultcoin365-com-nd-according-report-russia"] is None
    assert dates["0xkryptos-com-2021-chinas-largest-concentration"] == "2021-06-09"  # its text
    assert dates["luxor-2021-hashrate-index-q3"] == "2021"  # a Q3 2021 report
    assert dates["cbeci_countries"] is None  # CCAF does not date its releases


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_chart_titles_write_their_dates_in_words(built_project: Path) -> None:
    # A title or subtitle is read like the prose: "6 January 2020", never "2020-01-06".
    specs = sorted((built_project / "reports/figures").glob("*.vl.json"))
    assert len(specs) == 8
    for spec in specs:
        title = " ".join(_strings(json.loads(spec.read_text(encoding="utf-8"))["title"]))
        assert title and not re.search(r"\d{4}-\d{2}-\d{2}", title), f"{spec.name}: {title}"
