"""The two renders of one build, side by side: Quarto's (the published one) and the
pandoc fallback's quote the same numbers in the same order, each names its renderer,
and a Quarto render leaves the checkout as it found it.

The acceptance tests (browser, axe-core, chart fit, PDF pages, links, safe output,
lineage) run on both renders through the ``site`` fixture; these compare them.
"""

from __future__ import annotations

import html as html_text
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, install_own_code, isolated_env, quoted_variables, snakemake

#: A number of the page: its lineage button (or, for a long value, the span that acts
#: as one), its name and the value it shows.
NUMBER = re.compile(
    r'<(?:button type="button"|span role="button" tabindex="0") class="lineage-num" '
    r'data-var="(\w+)"[^>]*>([^<]*)<'
)
APPENDIX = "Where each number comes from"


def quoted_numbers(page: Path) -> list[tuple[str, str]]:
    """Each number the page quotes, in the order of the text: (name, value shown)."""
    return [(name, html_text.unescape(value)) for name, value in NUMBER.findall(page.read_text())]


def appendix_text(pdf: Path) -> str:
    """The PDF's appendix as one run of characters, without what depends on the
    layout: where lines break, the page numbers at the foot of each page and the
    pages each entry names."""
    texts = []
    for page in PdfReader(pdf).pages:
        lines = (page.extract_text() or "").strip().splitlines()
        texts.append(" ".join(lines[:-1] if lines and lines[-1].strip().isdigit() else lines))
    start = max(i for i, text in enumerate(texts) if APPENDIX in text)
    appendix = " ".join(texts[start:]).split(APPENDIX, 1)[1]
    return "".join(re.sub(r"\((?:p|pp)\. \d+(?:, \d+)*\)", "", appendix).split())


def test_both_engines_quote_the_same_numbers_in_the_same_order(site_of) -> None:
    pandoc = quoted_numbers(site_of("pandoc") / "index.html")
    quarto = quoted_numbers(site_of("quarto") / "index.html")
    # Every {{< var >}} of the document is a number of the page, in the document's order
    # (the abstract first: it is the front matter's).
    assert [name for name, _ in pandoc] == quoted_variables()
    assert quarto == pandoc
    assert not [value for _, value in quarto if not value or value.startswith("?")]


def test_both_pdfs_list_the_same_numbers_in_the_same_order(site_of) -> None:
    pandoc = appendix_text(site_of("pandoc") / "crackdown.pdf")
    quarto = appendix_text(site_of("quarto") / "crackdown.pdf")
    # One entry per number quoted, each naming its raw lines, in the same words.
    assert pandoc.count("Raw:") == len(dict.fromkeys(quoted_variables()))
    assert "Source: ." not in pandoc  # an entry without a source says nothing of one
    assert quarto == pandoc


def test_each_page_names_its_renderer(site_of, quarto_project: Path) -> None:
    generator = re.compile(r'<meta name="generator" content="([^"]+)"')
    assert generator.findall((site_of("quarto") / "index.html").read_text()) == ["quarto-1.7.34"]
    assert generator.findall((site_of("pandoc") / "index.html").read_text()) == ["pandoc"]
    assert "with Quarto 1.7.34" in (quarto_project / "logs/report/render.log").read_text()


def test_quarto_leaves_the_checkout_as_it_found_it(quarto_project: Path) -> None:
    reports = quarto_project / "reports"
    # The .gitignore Quarto writes beside a document is the one committed: unchanged.
    assert (reports / ".gitignore").read_bytes() == (ROOT / "reports/.gitignore").read_bytes()
    # Quarto renders into the build folder: beside the document only its scratch folder
    # (.quarto/, ignored by that .gitignore) and what publishing put there.
    sources = {p.name for p in (ROOT / "reports").iterdir()}
    outputs = {"crackdown.html", "crackdown.pdf", "manifest.json", "edition.json", "_build",
               "figures", "data"}  # fmt: skip
    generated = {"_variables.yml", ".quarto"}
    assert {p.name for p in reports.iterdir()} <= sources | outputs | generated
    assert not (reports / "_build/quarto").exists()  # both outputs moved out, the rest gone


@pytest.fixture
def quarto_copy(quarto_project: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    project = shutil.copytree(quarto_project, tmp_path / "project", symlinks=True)
    return project, isolated_env(tmp_path / "home")


def published(project: Path) -> dict[str, bytes]:
    """The published report: the HTML, the PDF and their manifest, as bytes."""
    names = ("crackdown.html", "crackdown.pdf", "manifest.json")
    return {name: (project / "reports" / name).read_bytes() for name in names}


def add_to_the_document(project: Path, text: str) -> None:
    qmd = project / "reports/index.qmd"
    qmd.write_text(qmd.read_text() + f"\n{text}\n")


def test_a_failed_quarto_render_publishes_nothing_and_says_why(quarto_copy) -> None:
    project, env = quarto_copy
    before = published(project)
    add_to_the_document(project, "A number nobody computed: {{<var nowhere >}}.")
    command = [sys.executable, "-m", "mining_report.pipeline.launcher", "--cores", "2",
               "--config", "render_engine=quarto"]  # fmt: skip
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("FAILED at render: quarto failed"), last
    assert "unknown variable 'nowhere'" in last and "logs/report/render.log" in last
    assert published(project) == before
    assert not (project / "reports/_build/crackdown.html").exists()


def test_a_run_failing_after_quarto_rendered_keeps_the_published_pair(quarto_copy) -> None:
    # Quarto writes <stem>.typ and <stem>.pdf beside the document whatever the output's
    # name: were the document's stem the report's, the render would overwrite the
    # published PDF before the run is known to succeed.
    project, env = quarto_copy
    python = install_own_code(project)  # runs the copy's code, the failure below with it
    before = published(project)
    add_to_the_document(project, "A new edition.")
    manifest = project / "src/mining_report/pipeline/jobs/manifest.py"
    manifest.write_text(
        manifest.read_text() + "\n\ndef main(job):\n    raise OSError('disk full')\n"
    )
    done = snakemake(project, "--config", "render_engine=quarto", env=env, python=python)
    assert done.returncode != 0
    assert "FAILED" in done.stderr or "disk full" in done.stderr
    assert (project / "logs/report/render.log").read_text().count("with Quarto") == 1
    assert published(project) == before


def test_quarto_asked_for_but_missing_stops_before_any_step(built_copy: Path, tmp_path) -> None:
    env = isolated_env(tmp_path / "home")
    # The PATH without any folder that holds a quarto.
    path = [d for d in env["PATH"].split(os.pathsep) if not (Path(d) / "quarto").exists()]
    env["PATH"] = os.pathsep.join(path)
    assert shutil.which("quarto", path=env["PATH"]) is None
    done = snakemake(built_copy, "--config", "render_engine=quarto", env=env)
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR: ")]
    assert errors == [
        "ERROR: render_engine is 'quarto' but no quarto is on PATH: install Quarto 1.7.34 "
        "(https://quarto.org/docs/download/) and put it on PATH, or render with the "
        "portable fallback: make report RENDER=pandoc"
    ]
    assert (built_copy / "logs/report/render.log").read_text().count("with pandoc") == 1
