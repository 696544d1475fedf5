"""`make help` describes every target of the Makefile."""

from __future__ import annotations

import re
import subprocess

from conftest import ROOT


def test_make_help_describes_every_target() -> None:
    root = ROOT
    makefile = (root / "Makefile").read_text()
    phony = re.search(r"^\.PHONY: (.+)$", makefile, re.MULTILINE).group(1).split()
    done = subprocess.run(
        ["make", "--no-print-directory", "help"], cwd=root, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    described = {
        m.group(1): m.group(2) for m in re.finditer(r"^  make (\S+)\s+(.+)$", done.stdout, re.M)
    }
    assert set(phony) <= set(described), set(phony) - set(described)
    assert all(len(text) > 10 for text in described.values())
