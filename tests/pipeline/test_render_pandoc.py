"""A citation key the bibliography lacks fails the render (pandoc's citeproc, for real)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mining_report.report import render


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


def test_the_report_engine_never_prints_an_authors_comment(tmp_path) -> None:
    # The pandoc engine reads the document without raw HTML, where a comment would be
    # text; it gets the document with its comments removed.
    (tmp_path / "refs.json").write_text("[]")
    (tmp_path / "_variables.yml").write_text('"x": "46.04"\n')
    (tmp_path / "doc.qmd").write_text(
        "---\ntitle: T\n---\n\nChina held {{< var x >}} <!-- check the month -->.\n\n"
        "<!-- a block\nof notes -->\n\nThe end.\n"
    )
    lua = Path(__file__).resolve().parents[2] / "workflow/filters/report.lua"
    common = dict(lua_filter=lua, bibliography=tmp_path / "refs.json",
                  variables=tmp_path / "_variables.yml")  # fmt: skip
    (tmp_path / "header").write_text("")
    render.pandoc_html(tmp_path / "doc.qmd", tmp_path / "doc.html", header=tmp_path / "header",
                       **common)  # fmt: skip
    html = (tmp_path / "doc.html").read_text()
    assert "China held 46.04" in html and "The end." in html
    assert "check the month" not in html and "of notes" not in html and "&lt;!" not in html
