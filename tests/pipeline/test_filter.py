"""The Lua filters as the pandoc fallback runs them (report.lua), through real pandoc."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from mining_report.report.render import pandoc_path

from conftest import ROOT

FILTER = ROOT / "workflow" / "filters" / "report.lua"
#: How the renderer reads the document (src/mining_report/report/render.py).
READER = "markdown-raw_html"

CHARTS = """\
See @fig-one and @fig-two.

::: {#fig-one .chart spec="one.vl.json" pdf="one.pdf"}
First caption.
:::

::: {#fig-two .chart spec="two.vl.json" pdf="two.pdf"}
Second caption.
:::
"""


def pandoc(
    tmp_path: Path, markdown: str, to: str, lua: Path = FILTER
) -> subprocess.CompletedProcess:
    (tmp_path / "doc.md").write_text(markdown)
    (tmp_path / "_variables.yml").write_text('"share": "46.04"\n"country": "United States"\n')
    for name in ("one", "two"):
        (tmp_path / f"{name}.vl.json").write_text(json.dumps({"title": f"</script><b>{name}"}))
    command = [
        pandoc_path(),
        "doc.md",
        "-f",
        READER,
        "-t",
        to,
        "--wrap=none",
        f"--lua-filter={lua}",
    ]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)


@pytest.mark.parametrize(
    "text",
    [
        "China held {{< var share >}}% in ({{< var country >}}).",  # the front matter's
        "China held {{<var share >}}% in ({{<var country >}}).",  # the body's
    ],
)
def test_variables_are_resolved_with_punctuation_kept(tmp_path: Path, text: str) -> None:
    done = pandoc(tmp_path, text, "plain")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "China held 46.04% in (United States)."


def test_a_shortcode_that_is_not_a_var_fails(tmp_path: Path) -> None:
    done = pandoc(tmp_path, "Value {{<var >}} and {{< env HOME >}}.", "plain")
    assert done.returncode != 0
    assert "malformed shortcode" in done.stderr


def test_unknown_variable_fails_with_its_name(tmp_path: Path) -> None:
    done = pandoc(tmp_path, "Value {{< var nowhere >}}.", "plain")
    assert done.returncode != 0
    assert "unknown variable 'nowhere'" in done.stderr


def test_html_figures_are_numbered_and_referenced(tmp_path: Path) -> None:
    done = pandoc(tmp_path, CHARTS, "html")
    assert done.returncode == 0, done.stderr
    html = done.stdout
    assert '<a href="#fig-one">Figure\u00a01</a>' in html
    assert '<a href="#fig-two">Figure\u00a02</a>' in html
    assert "Figure\u00a01: First caption." in html
    assert "Figure\u00a02: Second caption." in html
    assert html.count("reportChart(") == 2


def test_inlined_spec_cannot_close_its_script_element(tmp_path: Path) -> None:
    html = pandoc(tmp_path, CHARTS, "html").stdout
    assert "</script><b>" not in html
    assert "\\u003c/script>\\u003cb>one" in html


def test_typst_gets_native_figures_and_references(tmp_path: Path) -> None:
    done = pandoc(tmp_path, CHARTS, "typst")
    assert done.returncode == 0, done.stderr
    typ = done.stdout
    assert "@fig-one" in typ and "<fig-one>" in typ
    assert 'image("one.pdf"' in typ
    assert "Figure" not in typ  # Typst numbers and names figures itself


def test_reference_to_a_missing_figure_fails(tmp_path: Path) -> None:
    done = pandoc(tmp_path, "See @fig-nowhere.", "html")
    assert done.returncode != 0
    assert "@fig-nowhere" in done.stderr


@pytest.mark.parametrize("path", ["../outside.vl.json", "/etc/passwd", "file:x.json"])
def test_chart_paths_outside_the_report_are_refused(tmp_path: Path, path: str) -> None:
    markdown = f'::: {{#fig-x .chart spec="{path}" pdf="{path}"}}\nCaption.\n:::\n'
    done = pandoc(tmp_path, markdown, "html")
    assert done.returncode != 0
    assert "outside the report folder" in done.stderr


TABLE = """\
See @tbl-data.

::: {#tbl-data .data-table src="data.csv"}
A caption.
:::
"""


def test_data_table_cells_stay_text_and_are_numbered(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text(
        'claim,source\n"<script>alert(1)</script>",https://example.org\n"#set text(red) $x$",b\n'
    )
    html = pandoc(tmp_path, TABLE, "html").stdout
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Table\u00a01: A caption." in html
    assert '<a href="#tbl-data">Table\u00a01</a>' in html
    typ = pandoc(tmp_path, TABLE, "typst")
    assert typ.returncode == 0, typ.stderr
    # Typst markup from the data is escaped, not run.
    assert "\\#set text(red) \\$x\\$" in typ.stdout
    assert "@tbl-data" in typ.stdout and "<tbl-data>" in typ.stdout


def test_data_table_path_outside_the_report_is_refused(tmp_path: Path) -> None:
    done = pandoc(tmp_path, TABLE.replace("data.csv", "../data.csv"), "html")
    assert done.returncode != 0
    assert "outside the report folder" in done.stderr


def test_chart_text_alternative_comes_from_the_spec_description(tmp_path: Path) -> None:
    markdown = CHARTS.replace('pdf="one.pdf"', 'pdf="one.pdf" data="data/one.csv"')
    (tmp_path / "one.vl.json").write_text("{}")  # rewritten below, after pandoc() writes it
    done = pandoc(tmp_path, markdown, "html")
    assert done.returncode == 0, done.stderr
    (tmp_path / "one.vl.json").write_text(json.dumps({"description": "Line chart of <x> & y."}))
    html = subprocess.run(
        [pandoc_path(), "doc.md", "-f", READER, "-t", "html", f"--lua-filter={FILTER}"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert 'id="fig-one-view" role="img" aria-label="Line chart of &lt;x&gt; &amp; y."' in html
    assert 'id="fig-two-view" role="img" aria-label="Second caption."' in html  # no description
    assert '<a href="data/one.csv" download>Data for this chart (CSV)</a>' in html
    typ = subprocess.run(
        [pandoc_path(), "doc.md", "-f", READER, "-t", "typst", f"--lua-filter={FILTER}"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert '#image("one.pdf", width: 100%, alt: "Line chart of <x> & y.")' in typ


def test_table_columns_align_numbers_right_and_label_cells(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text(
        'name,what,rows,share\nprices,Weekly prices,"1,234",12.5 %\nshares,Shares,76,\n'
    )
    markdown = TABLE.replace('src="data.csv"', 'src="data.csv" link-rows="data/tables/%s.csv"')
    html = pandoc(tmp_path, markdown, "html").stdout
    link = '<a href="data/tables/prices.csv">'
    assert f'<td style="text-align: left;" data-label="name">{link}' in html
    assert '<td style="text-align: right;" data-label="rows">1,234</td>' in html
    # A number and its unit stay together in a table cell too.
    assert '<td style="text-align: right;" data-label="share">12.5\u00a0%</td>' in html
    assert '<td style="text-align: left;" data-label="what">Weekly prices</td>' in html
    typ = pandoc(tmp_path, markdown, "typst").stdout
    assert "align: (left,left,right,right,)" in typ


def test_a_number_and_its_unit_stay_together(tmp_path: Path) -> None:
    done = pandoc(tmp_path, "Held {{< var share >}} % and 12\nEH/s, not 3 cats.", "plain")
    assert done.stdout.strip() == "Held 46.04\u00a0% and 12\u00a0EH/s, not 3 cats."


def test_html_links_its_pdf_and_the_pdf_carries_its_metadata(tmp_path: Path) -> None:
    front = (
        "---\ntitle: T\nreport-pdf: report.pdf\nsubject: 'A back\\\\slash subject'\n"
        "keywords: [Bitcoin, mining]\n---\n\nText.\n"
    )
    html = pandoc(tmp_path, front, "html").stdout
    assert '<a href="report.pdf">PDF for print</a>' in html
    typst = subprocess.run(
        [pandoc_path(), "doc.md", "-f", READER, "-t", "typst", "--standalone",
         f"--lua-filter={FILTER}"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert 'keywords: ("Bitcoin","mining")' in typst  # pandoc's template, given strings
    assert (
        '#set document(title: "T", description: "A back\\\\slash subject", '
        'keywords: ("Bitcoin", "mining"))'
    ) in typst
    assert "PDF for print" not in typst
