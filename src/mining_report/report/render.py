"""Render the Quarto document to HTML and PDF, with Quarto or with pandoc + Typst.

Quarto is the renderer: it renders the document in its project (reports/_quarto.yml,
with the project's filters, format options and _variables.yml), both formats in one
run. Where it is not installed, pandoc (shipped by the PyPI package pypandoc-binary)
renders the same ``.qmd`` with the project's Lua filter, which supplies what Quarto
would, and the Typst compiler (PyPI package typst) turns pandoc's Typst output into
the PDF. Either way the report reaches its target only whole: a failed render never
leaves a truncated report.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from mining_report.errors import RenderError
from mining_report.io import atomic_path, write_text

ENGINES = ("auto", "quarto", "pandoc")

#: The Quarto the project is tested with (.ci/run) and published with (report.yml).
QUARTO_VERSION = "1.7.34"
#: How a user gets it, said wherever it is missing.
GET_QUARTO = (
    f"install Quarto {QUARTO_VERSION} (https://quarto.org/docs/download/) and put it on "
    "PATH, or render with the portable fallback: make report RENDER=pandoc"
)

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
        raise RenderError(f"render_engine is 'quarto' but no quarto is on PATH: {GET_QUARTO}")
    return setting


def engine_version(engine: str) -> str:
    """The renderer as a reader of the log would name it: "Quarto 1.7.34", "pandoc 3.8"."""
    if engine == "quarto":
        command = [shutil.which("quarto") or "quarto", "--version"]
        name = "Quarto"
    else:
        command, name = [pandoc_path(), "--version"], "pandoc"
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return f"{name} (version unknown)"
    words = (done.stdout.splitlines() or [""])[0].split()
    return f"{name} {words[-1]}" if words else f"{name} (version unknown)"


def _inline_script(code: str) -> str:
    # The code sits inside <script>: no literal "</script" may appear in it.
    code = code.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    return f"<script>\n{code}\n</script>\n"


def _inline_style(path: Path) -> str:
    css = path.read_text(encoding="utf-8").replace("</style", "<\\/style")
    return f"<style>\n{css}\n</style>\n"


def page_header_html(style: Path, *scripts: Path) -> str:
    """What the page carries inline in its header, under both engines: its ``style``
    sheet, then vega, vega-lite and vega-embed as one script, then the report's own
    ``scripts`` (the chart drawing, the popover showing where each number comes from,
    the page's furniture). The page then links no file: it is whole offline, and no
    pass that embeds linked files (a second a render, through the header's 1.4 MB) is
    needed."""
    import vl_convert

    html = _inline_style(style) + _inline_script(vl_convert.javascript_bundle())
    for script in scripts:
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
            f"{Path(command[0]).name} failed (exit {done.returncode}): "
            f"{failure_reason(done.stderr)}\n{done.stderr.strip()}"
        )
    check_citations(done.stderr)


#: Colour codes Quarto puts around its messages.
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def failure_reason(messages: str) -> str:
    """The line of a renderer's error output that says what went wrong: the project's
    filter's own message, else the first error line, else the last line."""
    lines = [_ANSI.sub("", line).strip() for line in messages.splitlines()]
    lines = [line for line in lines if line]
    for marks in (("report filter:",), ("ERROR", "error:", "Error")):
        for line in lines:
            if line.startswith(marks):
                return line
    return lines[-1] if lines else "no message"


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
    lua_filter: Path,
    bibliography: Path,
    variables: Path,
    lineage: Path | None = None,
    metadata: Path | None = None,
) -> list[str]:
    where = [f"--metadata=lineage-file:{lineage.resolve()}"] if lineage is not None else []
    # The references listed without a citation in the text (nocite), as Quarto reads them.
    if metadata is not None:
        where.append(f"--metadata-file={metadata.resolve()}")
    return [
        pandoc_path(),
        "-",  # the document, from document_text(qmd)
        # Without raw HTML: pandoc would read each {{<var name >}} as an HTML <var> tag
        # (and the spaced {{< var name >}} costs it 0.4 s a render to rule one out). The
        # document has no raw HTML (a test keeps it so) and its comments are removed
        # before pandoc reads it (document_text).
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
    lineage: Path | None = None,
    metadata: Path | None = None,
) -> None:
    """Self-contained HTML: the page, with its style sheet and scripts in its header."""
    with atomic_path(html) as tmp:
        command = _pandoc_common(lua_filter, bibliography, variables, lineage, metadata) + [
            "--to=html5",
            f"--include-in-header={header.resolve()}",
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
    metadata: Path | None = None,
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
        command = _pandoc_common(lua_filter, bibliography, variables, lineage, metadata) + [
            "--to=typst-smart",  # curly quotes stay curly (see _quarto.yml)
            # The document's sections are ## headings (# is the title in Quarto).
            "--shift-heading-level-by=-1",
            "--metadata=chart-path-prefix:/",
            f"--metadata=pdf-date:{date.isoformat()}",
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


def quarto_render(
    qmd: Path, outputs: dict[str, Path], metadata: dict[str, str] | None = None
) -> None:
    """Render ``qmd`` with Quarto in its own project, every format of the project's
    _quarto.yml in one run (one Quarto start-up), then move each output to its target
    in ``outputs`` (format → path: {"html": …, "typst": …}).

    Quarto writes into the project's output-dir, a scratch folder of the build; the
    outputs move to their targets only once every format has rendered, and the
    folder is removed (it also gets copies of the files the page links).
    """
    project = qmd.parent
    config = quarto_project(project)
    # Quarto renders a file its project does not list as a document of its own,
    # without the project's filters, format options and _variables.yml.
    if qmd.name not in config.get("project", {}).get("render", []):
        raise RenderError(
            f"{qmd} is not listed in project.render of {project / '_quarto.yml'}: Quarto "
            "would render it without the project's filters and variables"
        )
    quarto = shutil.which("quarto")
    if not quarto:
        raise RenderError(f"quarto not found on PATH: {GET_QUARTO}")
    out_dir = quarto_output_dir(project, config)
    shutil.rmtree(out_dir, ignore_errors=True)  # nothing of an earlier render stays
    settings = [f"--metadata={key}:{value}" for key, value in (metadata or {}).items()]
    _run([quarto, "render", qmd.name, "--to", "all", *settings], cwd=project)
    rendered = {fmt: out_dir / f"{qmd.stem}{EXTENSIONS[fmt]}" for fmt in outputs}
    for fmt, path in rendered.items():
        if not path.is_file():
            raise RenderError(f"quarto wrote no {fmt} output ({path})")
    for fmt, target in outputs.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(rendered[fmt], target)
    shutil.rmtree(out_dir)


#: The file extension of each format's output.
EXTENSIONS = {"html": ".html", "typst": ".pdf"}


def quarto_project(project: Path) -> dict:
    """The settings of the Quarto project in ``project`` (its _quarto.yml)."""
    import yaml

    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))
    return config if isinstance(config, dict) else {}


def quarto_output_dir(project: Path, config: dict) -> Path:
    """Where Quarto writes what it renders: the project's output-dir."""
    out_dir = config.get("project", {}).get("output-dir")
    if not out_dir:
        raise RenderError(f"{project / '_quarto.yml'}: project.output-dir is not set")
    return project / out_dir


def write_header(path: Path, style: Path, *scripts: Path) -> None:
    """The page-header include both engines put in the page (see page_header_html)."""
    write_text(path, page_header_html(style, *scripts))
