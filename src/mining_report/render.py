"""Render the Quarto document to HTML and PDF, with Quarto or with pandoc + Typst.

Quarto is the preferred engine. Where it is not installed, pandoc (shipped by the
PyPI package pypandoc-binary) renders the same ``.qmd`` with the project's Lua
filter, and the Typst compiler (PyPI package typst) turns pandoc's Typst output
into the PDF. Both write through a temporary file, so a failed render never
leaves a truncated report.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import RenderError
from .io import atomic_path, write_text

ENGINES = ("auto", "quarto", "pandoc")

#: How pandoc's citeproc (and Quarto, which runs it) reports a key with no reference:
#: only a warning, after which the text shows "(key?)"; our render fails on it.
MISSING_CITATION = re.compile(r"[Cc]itation (\S+) not found")


def choose_engine(setting: str) -> str:
    """Resolve the ``render_engine`` setting: ``auto`` means Quarto when on PATH."""
    if setting not in ENGINES:
        raise ValueError(f"render_engine must be one of {', '.join(ENGINES)}, not {setting!r}")
    if setting == "auto":
        return "quarto" if shutil.which("quarto") else "pandoc"
    if setting == "quarto" and not shutil.which("quarto"):
        raise RenderError("render_engine is 'quarto' but no quarto executable is on PATH")
    return setting


def _inline_script(code: str) -> str:
    # The code sits inside <script>: no literal "</script" may appear in it.
    code = code.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    return f"<script>\n{code}\n</script>\n"


def _inline_style(path: Path) -> str:
    css = path.read_text(encoding="utf-8").replace("</style", "<\\/style")
    return f"<style>\n{css}\n</style>\n"


def vega_bundle_html(charts_js: Path | None = None, lineage_js: Path | None = None) -> str:
    """vega, vega-lite and vega-embed as one inline <script>, for the page header,
    followed by the report's own chart drawing (``charts_js``) and the popover that
    shows where each number comes from (``lineage_js``), when given: the header is
    the one include both engines put in the page."""
    import vl_convert

    html = _inline_script(vl_convert.javascript_bundle())
    for script in (charts_js, lineage_js):
        if script is not None:
            html += _inline_script(script.read_text(encoding="utf-8"))
    return html


def pandoc_path() -> str:
    """The pandoc binary shipped with pypandoc-binary (or on PATH)."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        found = shutil.which("pandoc")
        if not found:
            raise RenderError("pandoc not found: install pypandoc-binary") from None
        return found


def _run(command: list[str], cwd: Path, stdin: str | None = None) -> None:
    done = subprocess.run(
        command, cwd=cwd, input=stdin, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RenderError(
            f"{Path(command[0]).name} failed (exit {done.returncode}):\n{done.stderr.strip()}"
        )
    check_citations(done.stderr)


def check_citations(messages: str) -> None:
    """Fail on a citation key the bibliography lacks, naming every such key."""
    missing = sorted(set(MISSING_CITATION.findall(messages)))
    if missing:
        raise RenderError(
            f"citation key(s) not in the bibliography: {', '.join(missing)}; cite a key "
            "that reports/_build/references.json holds"
        )


#: An HTML comment: a note for the document's authors, never printed.
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def document_text(qmd: Path) -> str:
    """The document as the pandoc engine gives it to pandoc (on standard input): its
    HTML comments removed, their line breaks kept, so that pandoc's line numbers are
    the file's. Pandoc reads it without raw HTML (see ``_pandoc_common``), which would
    print a comment as text."""
    text = qmd.read_text(encoding="utf-8")
    return HTML_COMMENT.sub(lambda comment: "\n" * comment[0].count("\n"), text)


def _pandoc_common(
    lua_filter: Path, bibliography: Path, variables: Path, lineage: Path | None = None
) -> list[str]:
    where = [f"--metadata=lineage-file:{lineage.resolve()}"] if lineage is not None else []
    return [
        pandoc_path(),
        "-",  # the document, from document_text(qmd)
        # Without raw HTML: pandoc reads each {{< var name >}} as the start of an HTML
        # <var> element and searches the rest of the text for its end, which took 0.4 s
        # of each render. The document has no raw HTML (a test keeps it so) and its
        # comments are removed before pandoc reads it (document_text).
        "--from=markdown-raw_html",
        "--wrap=none",
        "--standalone",
        "--toc",
        "--number-sections",
        f"--lua-filter={lua_filter.resolve()}",
        # Citations after the filter, so @fig-… is numbered, not looked up.
        "--citeproc",
        f"--bibliography={bibliography.resolve()}",
        f"--metadata=variables-file:{variables.resolve()}",
        "--metadata=link-citations:true",
        *where,
    ]


def pandoc_html(
    qmd: Path,
    html: Path,
    *,
    lua_filter: Path,
    bibliography: Path,
    variables: Path,
    header: Path,
    css: Path,
    page_css: Path,
    page_script: Path,
    lineage: Path | None = None,
) -> None:
    """Self-contained HTML: the page, its style and the vega bundle in one file.

    ``page_css`` and ``page_script`` give the page what Quarto's HTML format gives
    its readers (a centred column, the contents in a sidebar, heading anchors, hover
    previews of citations and cross-references); Quarto needs neither.
    """
    with atomic_path(html) as tmp, tempfile.TemporaryDirectory() as scratch:
        after_body = Path(scratch) / "page-script.html"
        after_body.write_text(_inline_script(page_script.read_text(encoding="utf-8")))
        # The style sheets go in inline, as the scripts do: the page links no file, so
        # pandoc's --embed-resources, which takes a second to read through the 1.4 MB
        # header for resources to embed, has nothing to do and is not asked for.
        styles = Path(scratch) / "styles.html"
        styles.write_text("".join(_inline_style(path) for path in (css, page_css)))
        command = _pandoc_common(lua_filter, bibliography, variables, lineage) + [
            "--to=html5",
            f"--include-in-header={styles}",
            f"--include-in-header={header.resolve()}",
            f"--include-after-body={after_body}",
            f"--output={tmp.resolve()}",
        ]
        _run(command, cwd=qmd.parent, stdin=document_text(qmd))


def pandoc_pdf(
    qmd: Path,
    pdf: Path,
    *,
    lua_filter: Path,
    bibliography: Path,
    variables: Path,
    date: dt.date,
    lineage: Path | None = None,
) -> None:
    """PDF through Typst: pandoc writes Typst source, the typst package compiles it."""
    import typst

    root = qmd.parent
    # The Typst source must sit under Typst's root (the report folder) to reach
    # the charts; it is an intermediate and is removed whatever happens.
    fd, typ_name = tempfile.mkstemp(prefix=f".{pdf.stem}.", suffix=".typ", dir=root)
    os.close(fd)
    typ = Path(typ_name)
    try:
        command = _pandoc_common(lua_filter, bibliography, variables, lineage) + [
            "--to=typst",
            # The document's sections are ## headings (# is the title in Quarto).
            "--shift-heading-level-by=-1",
            "--metadata=chart-path-prefix:/",
            f"--include-in-header={(root / 'typst-header.typ').resolve()}",
            "--variable=papersize:a4",
            "--variable=section-numbering:1.1.",
            "--variable=fontsize:10.5pt",
            "--variable=margin.x:2.2cm",
            "--variable=margin.y:2.5cm",
            f"--output={typ.resolve()}",
        ]
        _run(command, cwd=root, stdin=document_text(qmd))
        stamp = int(os.environ.get("SOURCE_DATE_EPOCH", _epoch(date)))
        with atomic_path(pdf) as tmp:
            try:
                typst.compile(
                    str(typ), output=str(tmp), root=str(root), format="pdf", timestamp=stamp
                )
            except Exception as err:  # typst raises its own error type per version
                raise RenderError(f"typst failed: {err}") from err
    finally:
        typ.unlink(missing_ok=True)


def _epoch(date: dt.date) -> int:
    return int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp())


def quarto_render(qmd: Path, output: Path, to: str) -> None:
    """Render with Quarto into ``output`` (its own filter list is in _quarto.yml).

    Two Quarto processes in one project folder race on its scratch files
    (``.quarto/``, ``<name>_files/``), and Snakemake runs render_html and
    render_pdf side by side; so each render holds an exclusive lock on the
    document while Quarto runs, and the two take turns.
    """
    quarto = shutil.which("quarto")
    if not quarto:
        raise RenderError("quarto not found on PATH")
    # Quarto writes into the project folder; a target elsewhere (the build folder) is
    # rendered under a scratch name there and moved, so the published report in the
    # project folder is never overwritten by a render.
    elsewhere = output.parent.resolve() != qmd.parent.resolve()
    name = f"_render-{output.name}" if elsewhere else output.name
    # Quarto renders a copy whose numbers are marked for their lineage (mark_numbers).
    marked = qmd.with_name(f"{qmd.stem}-marked-{to}.qmd")
    with open(qmd, "rb") as document:
        fcntl.flock(document, fcntl.LOCK_EX)
        try:
            marked.write_text(mark_numbers(qmd.read_text(encoding="utf-8")), encoding="utf-8")
            _run([quarto, "render", marked.name, "--to", to, "--output", name], cwd=qmd.parent)
            if elsewhere:
                output.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(qmd.parent / name, output)
        finally:
            marked.unlink(missing_ok=True)
            if elsewhere:
                (qmd.parent / name).unlink(missing_ok=True)


def write_header(path: Path, charts_js: Path | None = None, lineage_js: Path | None = None) -> None:
    """The page-header include that carries the vega bundle, the chart drawing and the
    numbers' popover."""
    write_text(path, vega_bundle_html(charts_js, lineage_js))


#: A {{< var name >}} shortcode in the document.
VAR_SHORTCODE = re.compile(r"\{\{< var ([\w-]+) >\}\}")


def mark_numbers(text: str) -> str:
    """Wrap every {{< var name >}} in [ ]{.lineage var="name"}.

    Quarto resolves shortcodes before any user filter runs, so the filter could not
    tell a number from the text around it; inside the span, the resolved value keeps
    its name, and the filter shows its lineage as under the pandoc engine.
    """
    return VAR_SHORTCODE.sub(r'[{{< var \1 >}}]{.lineage var="\1"}', text)
