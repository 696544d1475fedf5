"""The Quarto branch, run with a stand-in Quarto (the report workflow,
.github/workflows/report.yml, renders with the real one): one render at a time, into
the build folder."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from mining_report import render


@pytest.fixture
def fake_quarto(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `quarto` on PATH that logs each call's start and end and writes its output."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "quarto.log"
    script = bin_dir / "quarto"
    script.write_text(
        "#!/bin/sh\n"
        'echo "start $(pwd) $*" >> "$FAKE_QUARTO_LOG"\n'
        "sleep 0.4\n"
        'touch "$6"\n'
        'echo "end" >> "$FAKE_QUARTO_LOG"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_QUARTO_LOG", str(log))
    return log


def test_quarto_renders_in_the_report_folder_one_at_a_time(
    fake_quarto: Path, tmp_path: Path
) -> None:
    project = tmp_path / "reports"
    project.mkdir()
    qmd = project / "crackdown.qmd"
    qmd.write_text("---\ntitle: x\n---\n")
    jobs = [
        threading.Thread(target=render.quarto_render, args=(qmd, project / name, to))
        for name, to in (("crackdown.html", "html"), ("crackdown.pdf", "typst"))
    ]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    calls = fake_quarto.read_text().splitlines()
    assert [line.split()[0] for line in calls] == ["start", "end", "start", "end"]
    started = sorted(line for line in calls if line.startswith("start"))
    # Quarto renders a copy whose numbers are marked for their lineage, then it is gone.
    assert started == [
        f"start {project} render crackdown-marked-html.qmd --to html --output crackdown.html",
        f"start {project} render crackdown-marked-typst.qmd --to typst --output crackdown.pdf",
    ]
    assert (project / "crackdown.html").exists() and (project / "crackdown.pdf").exists()
    assert sorted(p.name for p in project.glob("*.qmd")) == ["crackdown.qmd"]


def test_quarto_renders_into_the_build_folder_without_touching_the_published_report(
    fake_quarto: Path, tmp_path: Path
) -> None:
    project = tmp_path / "reports"
    project.mkdir()
    qmd = project / "crackdown.qmd"
    qmd.write_text("---\ntitle: x\n---\n")
    (project / "crackdown.html").write_text("the last good report")
    render.quarto_render(qmd, project / "_build" / "crackdown.html", "html")
    calls = fake_quarto.read_text().splitlines()
    assert (
        calls[0] == f"start {project} render crackdown-marked-html.qmd --to html "
        "--output _render-crackdown.html"
    )
    assert (project / "_build/crackdown.html").exists()
    assert not (project / "_render-crackdown.html").exists()
    assert (project / "crackdown.html").read_text() == "the last good report"
