"""The bibliography: a described title is not printed as a title."""

from __future__ import annotations

from mining_report.bibliography import web_entry


def test_a_described_title_is_not_printed_as_a_title() -> None:
    entry = web_entry(
        "events-E27",
        title="(journal abstract, title not shown)",
        publisher="ScholarMate",
        url="https://example.org/a",
        accessed="2026-11-22",
    )
    assert "title" not in entry
    assert entry["genre"] == "Journal abstract, title not shown"
