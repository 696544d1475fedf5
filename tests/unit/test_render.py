"""Choosing the render engine, and the chart bundle the page carries."""

from __future__ import annotations

import pytest

from mining_report.report import render


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


def test_quarto_missing_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    with pytest.raises(render.RenderError) as raised:
        render.choose_engine("quarto")
    message = str(raised.value)
    assert "\n" not in message
    assert "Quarto 1.7.34" in message and "RENDER=pandoc" in message


def test_quarto_renders_only_a_document_its_project_lists(tmp_path) -> None:
    # Quarto would render an unlisted file standalone: no filters, no _variables.yml.
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  render: [report.qmd]\n  output-dir: _build/quarto\n"
    )
    (tmp_path / "copy.qmd").write_text("---\ntitle: x\n---\n")
    with pytest.raises(render.RenderError, match=r"not listed in project\.render"):
        render.quarto_render(tmp_path / "copy.qmd", {"html": tmp_path / "out.html"})


def test_quarto_writes_into_the_projects_output_folder(tmp_path) -> None:
    (tmp_path / "_quarto.yml").write_text("project:\n  output-dir: _build/quarto\n")
    config = render.quarto_project(tmp_path)
    assert render.quarto_output_dir(tmp_path, config) == tmp_path / "_build/quarto"
    with pytest.raises(render.RenderError, match="output-dir is not set"):
        render.quarto_output_dir(tmp_path, {})


def test_a_failed_render_is_told_by_its_own_line() -> None:
    messages = (
        "\x1b[1mpandoc\x1b[22m\n  to: html\nWARNING: ?var:nowhere\n"
        "report filter: unknown variable 'nowhere' in {{< var nowhere >}}\nERROR: exit 1\n"
    )
    assert render.failure_reason(messages).startswith("report filter: unknown variable")
    assert render.failure_reason("x\nERROR: Typst failed\n") == "ERROR: Typst failed"
    assert render.failure_reason("") == "no message"


def test_unknown_engine_is_rejected() -> None:
    with pytest.raises(ValueError, match="auto, quarto, pandoc"):
        render.choose_engine("latex")


def test_the_header_carries_the_style_then_scripts_that_cannot_end_early(tmp_path) -> None:
    (tmp_path / "page.css").write_text("p { color: red; } /* </style> */")
    (tmp_path / "page.js").write_text('const s = "</script><b>";')
    html = render.page_header_html(tmp_path / "page.css", tmp_path / "page.js")
    assert html.startswith("<style>") and html.rstrip().endswith("</script>")
    # One style element, then the vega bundle and the page's script: two scripts, each
    # ending only where it ends.
    assert html.lower().count("</style") == 1 and html.lower().count("</script") == 2
    assert html.index("vegaEmbed") < html.index('const s = "<\\/script><b>";')


def test_comments_are_removed_and_every_line_keeps_its_number(tmp_path) -> None:
    qmd = tmp_path / "doc.qmd"
    qmd.write_text(
        "One <!-- a note --> line.\n<!-- a note\nover two lines -->\nThree {{< var x >}}.\n"
    )
    text = render.document_text(qmd)
    assert text.splitlines() == ["One  line.", "", "", "Three {{< var x >}}."]
    assert qmd.read_text().count("<!--") == 2  # the file itself is only read
