"""Choosing the render engine."""

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


def _cite(tmp_path, key: str) -> None:
    """Render a one-line document citing ``key`` with pandoc's citeproc."""
    (tmp_path / "refs.json").write_text('[{"id": "events-E08", "type": "webpage", "title": "T"}]')
    (tmp_path / "doc.md").write_text(f"A claim [@{key}].\n")
    command = [render.pandoc_path(), "doc.md", "--citeproc", "--bibliography=refs.json"]
    render._run([*command, "--output=doc.html"], cwd=tmp_path)


def test_a_known_citation_key_renders(tmp_path) -> None:
    _cite(tmp_path, "events-E08")
    assert "events-E08" in (tmp_path / "doc.html").read_text()


def test_an_unknown_citation_key_fails_the_render(tmp_path) -> None:
    # pandoc itself only warns and prints "(events-E99?)"; the report must not ship that.
    with pytest.raises(render.RenderError, match="not in the bibliography: events-E99"):
        _cite(tmp_path, "events-E99")
