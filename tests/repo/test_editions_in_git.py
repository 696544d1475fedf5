"""`make changes SINCE=<git ref>`: the newest edition archived in that commit."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from mining_report.report.changes import find_since


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=cwd, check=True, capture_output=True)  # fmt: skip


def archive_at(root: Path, day: str, share: str) -> None:
    folder = root / "editions" / day
    (folder / "tables").mkdir(parents=True)
    (folder / "tables/shares.csv").write_text(f"month,share\n2021-01-01,{share}\n")
    record = {"edition": day, "tables": {"shares": {"sha256": "x", "key": ["month"]}}}
    (folder / "edition.json").write_text(json.dumps(record))


def test_a_git_ref_means_the_newest_edition_archived_in_that_commit(tmp_path: Path) -> None:
    git("init", "-q", cwd=tmp_path)
    archive_at(tmp_path, "2026-11-22", "53.30")
    git("add", ".", cwd=tmp_path)
    git("commit", "-q", "-m", "first edition", cwd=tmp_path)
    git("tag", "first", cwd=tmp_path)
    archive_at(tmp_path, "2026-12-06", "60.00")
    git("add", ".", cwd=tmp_path)
    git("commit", "-q", "-m", "second edition", cwd=tmp_path)
    (tmp_path / "editions/2026-11-22/tables/shares.csv").write_text("changed in the tree\n")

    found = find_since("first", "2026-12-06", tmp_path, Path("editions"))
    assert found.name == "2026-11-22" and found.where == "first:editions/2026-11-22"
    assert found.tables["shares"] == "month,share\n2021-01-01,53.30\n"  # as committed
    assert find_since("HEAD", "2026-12-07", tmp_path, Path("editions")).name == "2026-12-06"
    with pytest.raises(
        LookupError, match=r"neither an archived edition \(2026-11-22, 2026-12-06\)"
    ):
        find_since("no-such-ref", "2026-12-06", tmp_path, Path("editions"))
