"""The committed _quarto.yml agrees with the pandoc fallback's command line.

The renders themselves are tested in tests/pipeline/ (the real Quarto, installed by
.ci/run, and the fallback); these check the settings without rendering.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from mining_report.report import render

from conftest import ROOT

REPORTS = ROOT / "reports"
PROJECT = yaml.safe_load((REPORTS / "_quarto.yml").read_text())
RULES = (ROOT / "workflow/rules/report.smk").read_text()


def front_matter(qmd: Path) -> dict:
    return yaml.safe_load(qmd.read_text().split("---\n", 2)[1])


class Stop(Exception):
    pass


#: The text of each file a recorded command includes (--include-in-header and the
#: like) that exists, read while it does: a render writes some to a scratch folder.
INCLUDED: dict[str, str] = {}


def pandoc_command(monkeypatch: pytest.MonkeyPatch, call) -> list[str]:
    """The pandoc command line a render function would run."""
    seen: list[list[str]] = []

    def record(command: list[str], cwd: Path, stdin: str | None = None) -> None:
        seen.append(command)
        for arg in command:
            path = Path(arg.partition("=")[2])
            if arg.startswith("--include-") and path.is_file():
                INCLUDED[str(path)] = path.read_text(encoding="utf-8")
        raise Stop

    monkeypatch.setattr(render, "_run", record)
    with pytest.raises(Stop):
        call()
    return seen[0]


def options(command: list[str]) -> dict[str, str]:
    """--name=value and --variable=key:value options of a command line."""
    found = {}
    for arg in command:
        if arg.startswith("--variable="):
            key, value = arg.removeprefix("--variable=").split(":", 1)
            found[f"variable {key}"] = value
        elif arg.startswith("--"):
            name, _, value = arg[2:].partition("=")
            found[name] = value
    return found


def report_inputs() -> dict[str, Path]:
    return dict(
        lua_filter=ROOT / "workflow/filters/report.lua",
        bibliography=REPORTS / "_build/references.json",
        variables=REPORTS / "_variables.yml",
    )


def test_html_format_matches_the_pandoc_html(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    html = PROJECT["format"]["html"]
    header = REPORTS / html["include-in-header"]
    command = pandoc_command(
        monkeypatch,
        lambda: render.pandoc_html(
            REPORTS / "index.qmd", tmp_path / "out.html", header=header, **report_inputs()
        ),
    )
    given = options(command)
    # One page under both engines: Quarto's without its theme, and both with the one
    # header the DAG writes (the style sheet and every script inline), so that the page
    # links no file and neither engine needs a pass that embeds them.
    assert html["minimal"] is True and not html.get("embed-resources")
    assert [a.partition("=")[2] for a in command if a.startswith("--include-")] == [str(header)]
    assert not any(arg.startswith(("--css", "--embed-resources")) for arg in command)
    assert PROJECT["toc"] is True and "toc" in given
    assert PROJECT["number-sections"] is True and "number-sections" in given
    # The header is the file the DAG writes, from the style sheet and the scripts.
    assert f'header="reports/{html["include-in-header"]}"' in RULES
    writer = RULES.split("rule page_header:", 1)[1].split("\nrule ", 1)[0]
    assert f'"reports/{html["include-in-header"]}"' in writer
    for source in ("report.css", "charts.js", "lineage.js", "page.js"):
        assert f'"reports/{source}"' in writer


def test_typst_format_matches_the_pandoc_pdf(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    typst = PROJECT["format"]["typst-smart"]
    qmd = tmp_path / "crackdown.qmd"
    qmd.write_text((REPORTS / "index.qmd").read_text())
    command = pandoc_command(
        monkeypatch,
        lambda: render.pandoc_pdf(
            qmd,
            tmp_path / "out.pdf",
            date=dt.date(2026, 1, 1),
            **report_inputs(),
        ),
    )
    given = options(command)
    assert given["variable papersize"] == typst["papersize"]
    assert given["variable fontsize"] == typst["fontsize"]
    assert given["variable margin.x"] == typst["margin"]["x"]
    assert given["variable margin.y"] == typst["margin"]["y"]
    assert given["variable section-numbering"] == typst["section-numbering"]
    assert int(given["shift-heading-level-by"]) == typst["shift-heading-level-by"]
    assert not list(tmp_path.glob(".*.typ"))  # the intermediate is removed on failure too


def test_quarto_and_the_fallback_run_the_same_filters() -> None:
    # Quarto: the report's blocks before it reads the figures (pre-ast), the lineage and
    # the table labels once the document is final (post-render).
    entries = {Path(f["path"]).name: f["at"] for f in PROJECT["filters"]}
    assert entries == {
        "report_blocks.lua": "pre-ast",
        "report_lineage.lua": "post-render",
        "report_table_labels.lua": "post-render",
    }
    fallback = (ROOT / "workflow/filters/report.lua").read_text()
    for filter_file in PROJECT["filters"]:
        path = (REPORTS / filter_file["path"]).resolve()
        assert path.is_file(), path
        # ... each of which the fallback's own filter runs too,
        assert f'require("{path.stem}")' in fallback
        # ... and whose edit renders the report again.
        assert path.stem.removeprefix("report_") in RULES.split("REPORT_INPUTS = dict(")[1]
    assert 'lua_filter="workflow/filters/report.lua"' in RULES


def test_quarto_renders_the_document_in_its_project_into_the_build_folder() -> None:
    assert PROJECT["project"]["render"] == ["index.qmd"]
    assert 'REPORT_QMD = "reports/index.qmd"' in (ROOT / "workflow/rules/common.smk").read_text()
    # Never beside the document: the published report is replaced only by publishing.
    assert PROJECT["project"]["output-dir"].startswith("_build/")
    # Quarto writes its scratch folder here and a .gitignore naming it, unless one does.
    assert "/.quarto/" in (REPORTS / ".gitignore").read_text().splitlines()


def test_quarto_reads_the_variables_and_bibliography_the_dag_writes() -> None:
    # Quarto's var shortcode reads _variables.yml from the project folder.
    assert '"reports/_variables.yml"' in RULES.split("rule report_variables:", 1)[1]
    assert (REPORTS / "_quarto.yml").parent == (ROOT / "reports/_variables.yml").parent
    bibliography = front_matter(REPORTS / "index.qmd")["bibliography"]
    assert f'"reports/{bibliography}"' in RULES.split("rule bibliography:", 1)[1]
