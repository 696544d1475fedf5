"""The published site: the report as index.html, its PDF and its data beside it.

The HTML page is one offline file; what it links to (the PDF, each chart's data, the
cleaned tables and their dictionary) is published beside it, in the same relative
places as under reports/. The report workflow lays out GitHub Pages with
``python -m mining_report.report.site reports _site``, and the acceptance tests check the
same layout, so a link that works in the tests works on the site.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from mining_report.io import write_bytes


def publish_files(pairs: dict[str, str]) -> None:
    """Copy each source file to its target (atomically), creating folders."""
    for source, target in pairs.items():
        write_bytes(target, Path(source).read_bytes())


def lay_out_site(reports: Path, site: Path, name: str = "crackdown") -> Path:
    """Copy the report ``name`` from ``reports`` into ``site`` as the site holds it."""
    site.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(reports / f"{name}.html", site / "index.html")
    shutil.copyfile(reports / f"{name}.pdf", site / f"{name}.pdf")
    shutil.copytree(reports / "data", site / "data", dirs_exist_ok=True)
    return site


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", type=Path, help="the folder holding the built report")
    parser.add_argument("site", type=Path, help="the folder to lay the site out in")
    parser.add_argument("--name", default="crackdown", help="the report's name")
    args = parser.parse_args(argv)
    lay_out_site(args.reports, args.site, args.name)


if __name__ == "__main__":
    main()
