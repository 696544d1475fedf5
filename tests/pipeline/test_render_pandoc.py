"""A citation key the bibliography lacks fails the render (pandoc's citeproc, for real)."""

from __future__ import annotations

import pytest

from mining_report import render


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
