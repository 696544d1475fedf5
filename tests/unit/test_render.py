"""Choosing the render engine, and the chart bundle the page carries."""

from __future__ import annotations

import pytest

from mining_report import render


def test_auto_prefers_quarto_when_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render.shutil, "which", lambda name: f"/opt/bin/{name}")
    assert render.choose_engine("auto") == "quarto"


def test_auto_falls_back_to_pandoc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    assert render.choose_engine("auto") == "pandoc"


def test_quarto_requested_but_missing_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    with pytest.raises(render.RenderError, match="no quarto"):
        render.choose_engine("quarto")


def test_unknown_engine_is_rejected() -> None:
    with pytest.raises(ValueError, match="auto, quarto, pandoc"):
        render.choose_engine("latex")


def test_bundle_is_one_script_that_cannot_end_early() -> None:
    html = render.vega_bundle_html()
    assert html.startswith("<script>") and html.rstrip().endswith("</script>")
    assert html.lower().count("</script") == 1
    assert "vegaEmbed" in html


def test_comments_are_removed_and_every_line_keeps_its_number(tmp_path) -> None:
    qmd = tmp_path / "doc.qmd"
    qmd.write_text(
        "One <!-- a note --> line.\n<!-- a note\nover two lines -->\nThree {{< var x >}}.\n"
    )
    text = render.document_text(qmd)
    assert text.splitlines() == ["One  line.", "", "", "Three {{< var x >}}."]
    assert qmd.read_text().count("<!--") == 2  # the file itself is only read
