"""Text from the data is shown as text in HTML and in Typst, never run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import quarto_path, require, resign, snakemake

HOSTILE = (
    "</script><script>window.pwned=1</script> #set page(fill: red) $x^2$ "
    "{{< var ccaf_first_month >}} {{< env HOME >}}"
)

# The hostile rebuild is made once, on one worker, for all of this module's tests.
pytestmark = pytest.mark.xdist_group("hostile_build")


@pytest.fixture(scope="module")
def hostile_build(
    built_project: Path,
    built_env: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
    engine: str,
) -> Path:
    """A copy of the built project rebuilt, and rendered by ``engine``, after its
    conflict ledger took markup for HTML, Typst and Quarto (only the jobs downstream of
    the ledger run again)."""
    if engine == "quarto":
        require(quarto_path(), "Quarto 1.7.34 on PATH (.ci/run installs it), for its render")
    project = tmp_path_factory.mktemp(f"hostile-{engine}") / "project"
    shutil.copytree(built_project, project, symlinks=True)
    raw = project / "data/raw/press/conflicting_figures.csv"
    data = raw.read_bytes().replace(
        b'b,"newsbsc.com says', f'b,"{HOSTILE} newsbsc.com says'.encode(), 1
    )
    assert HOSTILE.encode() in data
    raw.write_bytes(data)
    resign(raw)
    done = snakemake(project, "--config", f"render_engine={engine}", env=built_env)
    assert done.returncode == 0, done.stderr[-3000:]
    return project


def test_pdf_prints_the_markup_as_text(hostile_build: Path) -> None:
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(hostile_build / "reports/crackdown.pdf").pages
    )
    assert "#set page(fill: red)" in text
    # Not resolved: data is not a shortcode, and Quarto reads no environment for it.
    assert "{{< var ccaf_first_month >}} {{< env HOME >}}" in text


def test_browser_runs_no_script_from_the_data(hostile_build: Path, browser) -> None:
    html = hostile_build / "reports/crackdown.html"
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    page.goto(html.as_uri())
    page.wait_for_selector(".vega-chart svg")
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert dialogs == []
    body = page.inner_text("body")
    assert "</script><script>window.pwned=1</script>" in body
    assert "$x^2$" in body
    assert "{{< var ccaf_first_month >}} {{< env HOME >}}" in body
    page.close()
    # Every link in the page is http(s), a link within the page, a file published
    # beside it (the PDF, the data) or a style sheet embedded in the page (Quarto's):
    # nothing runs script or leaves the site.
    hrefs = re.findall(r'href="([^"]*)"', html.read_text())
    assert hrefs
    for href in hrefs:
        if not href.startswith(("https://", "http://", "#", "data:text/css,")):
            assert re.fullmatch(r"[\w./-]+", href) and ".." not in href, href
            assert (html.parent / href).is_file(), href
