"""After a killed run the next one recovers by itself: what is cleaned up and republished."""

from __future__ import annotations

import json
from pathlib import Path

from mining_report.pipeline import recovery
from mining_report.pipeline.manifest import manifest

from conftest import killed_run


def test_a_dead_run_is_cleaned_up(tmp_path: Path) -> None:
    killed_run(tmp_path)
    result = recovery.recover(tmp_path)
    assert result.running == []
    assert [p.name for p in result.locks_removed] == ["0.input.lock"]
    assert len(result.scratch_removed) == 3
    assert not list(tmp_path.rglob("*.part")) and not list(tmp_path.rglob(".*.typ"))
    assert "Recovered from an interrupted run" in result.summary()
    assert (tmp_path / ".snakemake/incomplete").is_dir()  # left to --rerun-incomplete


def test_publishing_cut_short_is_finished(tmp_path: Path) -> None:
    killed_run(tmp_path)
    build = tmp_path / "reports/_build"
    (build / "crackdown.html").write_bytes(b"<html>new</html>")
    (build / "crackdown.pdf").write_bytes(b"%PDF new")
    names = {str(build / f"crackdown.{e}"): f"reports/crackdown.{e}" for e in ("html", "pdf")}
    record = manifest([], [Path(p) for p in names], {}, names)
    (build / "manifest.json").write_text(json.dumps(record))
    # Killed between the two moves: the new HTML is out, the PDF is the old one.
    (tmp_path / "reports/crackdown.html").write_bytes(b"<html>new</html>")
    (tmp_path / "reports/crackdown.pdf").write_bytes(b"%PDF old")
    result = recovery.recover(tmp_path)
    assert result.republished
    assert (tmp_path / "reports/crackdown.pdf").read_bytes() == b"%PDF new"


def test_an_unfinished_build_is_not_published(tmp_path: Path) -> None:
    killed_run(tmp_path)
    (tmp_path / "reports/_build/crackdown.html").write_bytes(b"<html>half</html>")
    (tmp_path / "reports/crackdown.html").write_bytes(b"<html>good</html>")
    assert not recovery.recover(tmp_path).republished
    assert (tmp_path / "reports/crackdown.html").read_bytes() == b"<html>good</html>"
