"""Editions and what changed between two: the record, the archive, the comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mining_report.config_file import ConfigFileError, compare_with_published
from mining_report.numbers.claims import as_read
from mining_report.report.changes import (
    Edition,
    compare,
    compare_table,
    find_since,
    to_html,
    to_markdown,
    to_section,
)
from mining_report.report.edition import archive, code_digest, edition_record

OLD = "month,country,share\n2021-01-01,China,53.30\n2021-01-01,Iran,3.82\n2021-02-01,China,49.40\n"


def test_a_table_compared_by_its_key_lists_rows_added_removed_and_revised() -> None:
    new = "month,country,share\n2021-01-01,China,53.30\n2021-01-01,Iran,7.64\n" \
          "2021-03-01,China,46.00\n"  # fmt: skip
    changes = compare_table(OLD, new, ["month", "country"])
    assert changes.added == ["2021-03-01 / China"]
    assert changes.removed == ["2021-02-01 / China"]
    assert changes.revised == [("2021-01-01 / Iran", "share", "3.82", "7.64")]
    assert changes.revised_rows == 1


def test_the_largest_revisions_come_first() -> None:
    new = OLD.replace("53.30", "53.31").replace("3.82", "1.00").replace("49.40", "bad")
    revised = compare_table(OLD, new, ["month", "country"]).revised
    # A text where a number was counts as the largest; then 74 %, then 0.02 %.
    assert [row for row, *_ in revised] == [
        "2021-02-01 / China", "2021-01-01 / Iran", "2021-01-01 / China",
    ]  # fmt: skip


def record(day: str, numbers: dict[str, str], share: str = "53.30") -> dict:
    return {
        "edition": day,
        "vintage": {"data/raw/a.csv": {"sha256": share, "bytes": 1, "accessed": day}},
        "numbers": numbers,
        "tables": {"shares": {"sha256": share, "key": ["month", "country"]}},
        "charts": {"china_share": share},
        "references": ["cbeci_countries"],
        "labels": {
            "numbers": {"china_share": "China's share of global hashrate in January 2021"},
            "tables": {"shares": "China's share by month"},
            "charts": {"china_share": "China's share against the destinations"},
            "snapshots": {"data/raw/a.csv": "CCAF, Bitcoin mining map (countries)"},
        },
    }


QMD = """---
title: x
abstract: |
  China held {{< var china_share >}} in {{< var month >}} [@cbeci].
---

## Where

Its peak was {{<var peak >}}.
"""


def test_two_editions_compared_list_each_changed_number_with_its_sentence() -> None:
    old = Edition(record("2026-11-22", {"china_share": "53.30 %", "month": "January 2021",
                                        "peak": "75 %"}), {"shares": OLD}, "a")  # fmt: skip
    new_table = OLD.replace("53.30", "53.31")
    numbers = {"china_share": "53.31 %", "month": "January 2021", "peak": "75 %"}
    new = Edition(record("2026-12-06", numbers, "x"), {"shares": new_table}, "b")
    changes = compare(old, new, QMD)
    assert changes.numbers == [
        ("china_share", "China held 53.31 % in January 2021.", "53.30 %", "53.31 %")
    ]
    assert changes.charts == ["china_share"] and changes.data_changed
    page = to_markdown(changes)
    assert page.startswith("# What changed since the edition of 22 November 2026")
    assert "- **53.30 % → 53.31 %**: China held 53.31 % in January 2021." in page
    assert "- **shares** (China's share by month): 0 rows added, 0 removed, 1 revised" in page


def test_the_report_s_section_names_everything_in_words() -> None:
    old = Edition(record("2026-11-22", {"china_share": "53.30 %", "month": "January 2021"}),
                  {"shares": OLD}, "a")  # fmt: skip
    new_record = record("2026-12-06", {"china_share": "53.31 %", "month": "January 2021"}, "x")
    new = Edition(new_record, {"shares": OLD.replace("53.30", "53.31") + "2021-03-01,X,1\n"},
                  "b")  # fmt: skip
    section = to_section(compare(old, new, QMD))
    assert section.splitlines()[0] == (
        "## What changed since the edition of 22 November 2026 {#sec-changes}"
    )
    assert "new data from CCAF, Bitcoin mining map (countries)." in section
    assert "In the text, 1 number changed:" in section
    assert "- China's share of global hashrate in January 2021: 53.30 % → 53.31 %" in section
    assert "- China's share by month (1 row added, 0 removed, 1 revised)" in section
    for internal in ("china_share", "shares", "data/raw"):
        assert internal not in section.replace("China's share", "")
    # The same data: no section at all.
    assert to_section(compare(old, Edition(old.record, old.tables, "c"), QMD)) == ""


def test_the_same_data_is_nothing_changed() -> None:
    same = Edition(record("2026-11-22", {"peak": "75 %"}), {"shares": OLD}, "a")
    later = Edition(record("2026-12-06", {"peak": "75 %"}), {"shares": OLD}, "b")
    later.record["vintage"] = same.record["vintage"]
    assert "Nothing in the report's data changed." in to_markdown(compare(same, later, QMD))


def test_the_page_escapes_every_text() -> None:
    page = to_html("# What changed\n\n- **<b> → &**: a `<script>` here\n  - nested\n")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<strong>&lt;b&gt; → &amp;</strong>" in page
    assert page.count("<ul>") == 2 and page.count("</ul>") == 2


def test_a_sentence_reads_as_the_reader_reads_it() -> None:
    text = "It fell to {{<var low >}} [@cm; @x] by {{<var day >}}."
    assert as_read(text, {"low": "52 %", "day": "1 May"}) == "It fell to 52 % by 1 May."


def write_edition(folder: Path, day: str, share: str) -> Path:
    tables = folder / "processed"
    tables.mkdir(parents=True, exist_ok=True)
    (tables / "shares.csv").write_text(OLD.replace("53.30", share))
    rec = edition_record(
        variables={"china_share": f"{share} %"},
        vintage={"data/raw/a.csv": {"sha256": "0" * 64, "bytes": 9}},
        accessed={"data/raw/a.csv": day},
        tables={"shares": (tables / "shares.csv", ["month", "country"])},
        charts={},
        references=["b", "a"],
        code={"sha256": share, "revision": None},
    )
    path = folder / "edition.json"
    path.write_text(json.dumps(rec))
    return path


def test_an_edition_is_archived_once_with_its_tables(tmp_path: Path) -> None:
    editions = tmp_path / "editions"
    path = write_edition(tmp_path, "2026-12-06", "53.30")
    folder, written = archive(path, tmp_path / "processed", editions)
    assert written and folder == editions / "2026-12-06"
    assert (folder / "tables/shares.csv").read_text() == OLD
    assert json.loads((folder / "edition.json").read_text())["references"] == ["a", "b"]
    # Built again by other code, the same content: left alone.
    rec = json.loads(path.read_text())
    rec["code"] = {"sha256": "other", "revision": "abc"}
    path.write_text(json.dumps(rec))
    assert archive(path, tmp_path / "processed", editions) == (folder, False)
    # The same day from other data: replaced whole; nothing half-written is left.
    path = write_edition(tmp_path, "2026-12-06", "60.00")
    assert archive(path, tmp_path / "processed", editions)[1]
    assert "60.00" in (folder / "tables/shares.csv").read_text()
    assert [p.name for p in editions.iterdir()] == ["2026-12-06"]


def test_tables_that_are_not_the_edition_s_are_not_archived(tmp_path: Path) -> None:
    path = write_edition(tmp_path, "2026-12-06", "53.30")
    (tmp_path / "processed/shares.csv").write_text("changed since\n")
    with pytest.raises(ValueError, match="not the table edition 2026-12-06 records"):
        archive(path, tmp_path / "processed", tmp_path / "editions")
    assert not (tmp_path / "editions/2026-12-06").exists()


def test_since_names_an_archived_edition_or_says_what_there_is(tmp_path: Path) -> None:
    for day, share in (("2026-11-22", "53.30"), ("2026-12-06", "60.00")):
        path = write_edition(tmp_path / day, day, share)
        archive(path, tmp_path / day / "processed", tmp_path / "editions")
    found = find_since(None, "2026-12-06", tmp_path, Path("editions"))
    assert found.name == "2026-11-22" and "53.30" in found.tables["shares"]
    assert find_since("2026-11-22", "2026-12-06", tmp_path, Path("editions")).name == "2026-11-22"
    with pytest.raises(LookupError, match="no edition archived before 2026-11-22"):
        find_since(None, "2026-11-22", tmp_path, Path("editions"))


def test_the_code_digest_follows_paths_and_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("x = 1\n")
    b.write_text("y = 2\n")
    first = code_digest([a, b])
    assert code_digest([b, a]) == first
    b.write_text("y = 3\n")
    assert code_digest([a, b]) != first


def test_accepting_new_data_names_the_published_edition_to_compare_with(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    text = "report:\n  name: crackdown\n  # which edition\n  since_edition: null\nraw_tables: {}\n"
    config.write_text(text)
    published = tmp_path / "edition.json"
    assert compare_with_published(config, published) is None  # nothing published yet
    assert config.read_text() == text
    published.write_text('{"edition": "2026-12-06"}')
    assert compare_with_published(config, published) == "2026-12-06"
    assert config.read_text() == text.replace("since_edition: null", 'since_edition: "2026-12-06"')
    config.write_text("report:\n  name: crackdown\n")
    with pytest.raises(ConfigFileError, match=r"no report\.since_edition line"):
        compare_with_published(config, published)
