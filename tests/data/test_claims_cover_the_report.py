"""Every sentence of the report with a word of comparison is backed by a claim's check,
or listed with the reason it claims nothing about the data."""

from __future__ import annotations

from mining_report.numbers.claims import (
    CLAIMS,
    COMPARING,
    KINDS,
    NOT_CLAIMS,
    report_sentences,
    shortcodes,
    unbacked,
)

from conftest import ROOT

QMD = (ROOT / "reports/index.qmd").read_text(encoding="utf-8")


def test_every_comparing_sentence_is_backed_or_excused() -> None:
    assert unbacked(QMD) == []


def test_every_claim_names_sentences_the_report_has() -> None:
    prose = " ".join(report_sentences(QMD))
    for claim in CLAIMS:
        assert claim.kind in KINDS, claim.name
        assert claim.sentences, claim.name
        for sentence in claim.sentences:
            assert shortcodes(sentence) in prose, (claim.name, sentence)
    assert len({claim.name for claim in CLAIMS}) == len(CLAIMS)


def test_every_excuse_names_a_sentence_the_report_has() -> None:
    prose = " ".join(report_sentences(QMD))
    for excerpt, reason in NOT_CLAIMS.items():
        assert excerpt in prose and reason, excerpt


def test_a_new_comparing_sentence_without_a_check_is_found() -> None:
    added = "Sichuan's share was the highest of any province in every wet season."
    edited = QMD.replace(
        "## What the sources disagree on", f"{added}\n\n## What the sources disagree on"
    )
    assert unbacked(edited) == [added]
    # A word of comparison inside a figure caption or heading is not prose.
    assert COMPARING.search("## The largest") and unbacked(QMD + "\n## The largest\n") == []


def test_the_abstract_is_read_and_shortcodes_are_written_one_way() -> None:
    sentences = report_sentences(QMD)
    assert any("CCAF again placed" in s for s in sentences)
    assert shortcodes("{{< var a_b >}} and {{<var c >}}") == "{{<var a_b >}} and {{<var c >}}"
