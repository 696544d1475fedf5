"""What changed between two editions of the report: ``make changes [SINCE=...]``.

Compares two archived editions (``editions/<edition>/``, see :mod:`.edition`): every
number of the prose whose text changed, old → new, with the sentence that quotes it;
the rows added, removed and revised in each cleaned table (by its primary key, the
largest revisions first); the charts whose data changed; the references added and
removed; the raw snapshots taken anew. Prints a summary and writes it as a page beside
the report (``reports/changes.html``) and as Markdown (``reports/changes.md``, the body
of the weekly refresh's pull request).

The newer edition is the one published (``reports/edition.json``); SINCE names the
older one: an edition (``2026-11-22``), or a git ref, meaning the newest edition
archived in that commit. Without SINCE, the newest archived edition before it.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import json
import math
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mining_report.errors import one_line
from mining_report.formatting import day_text
from mining_report.numbers.claims import VAR, as_read, report_sentences
from mining_report.report.edition import EDITIONS

#: How many revised rows of a table are listed (the largest first); the rest are counted.
MAX_REVISIONS = 10


@dataclass
class Edition:
    """An edition's record and its cleaned tables (CSV text by table name)."""

    record: dict[str, Any]
    tables: dict[str, str]
    where: str

    @property
    def name(self) -> str:
        return self.record["edition"]


@dataclass
class TableChanges:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: (row key, column, old, new), the largest relative change first.
    revised: list[tuple[str, str, str, str]] = field(default_factory=list)
    revised_rows: int = 0

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.revised_rows)


@dataclass
class Changes:
    old: str
    new: str
    #: (name, sentence, old text, new text)
    numbers: list[tuple[str, str, str, str]]
    tables: dict[str, TableChanges]
    charts: list[str]
    references_added: list[str]
    references_removed: list[str]
    snapshots: list[tuple[str, str, str]]
    #: Numbers, tables, charts and snapshots in words (the newer edition's labels).
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def label(self, kind: str, name: str) -> str:
        return self.labels.get(kind, {}).get(name, name)

    @property
    def data_changed(self) -> bool:
        return bool(self.snapshots or self.numbers or any(self.tables.values()))


# --------------------------------------------------------------------------------------
# Finding editions
# --------------------------------------------------------------------------------------


def archived(editions: Path = EDITIONS) -> list[str]:
    """The archived editions, oldest first."""
    if not editions.is_dir():
        return []
    return sorted(p.name for p in editions.iterdir() if (p / "edition.json").is_file())


def from_folder(folder: Path) -> Edition:
    record = json.loads((folder / "edition.json").read_text(encoding="utf-8"))
    tables = {
        name: (folder / "tables" / f"{name}.csv").read_text(encoding="utf-8")
        for name in record["tables"]
    }
    return Edition(record, tables, str(folder))


def _git(*args: str, root: Path) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise LookupError(one_line(done.stderr.strip() or f"git {' '.join(args)} failed"))
    return done.stdout


def from_git(ref: str, root: Path = Path("."), editions: Path = EDITIONS) -> Edition:
    """The newest edition archived in the commit ``ref``."""
    listing = _git("ls-tree", "--name-only", f"{ref}:{editions.as_posix()}", root=root)
    names = sorted(n for n in listing.split() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", n))
    if not names:
        raise LookupError(f"{ref} archives no edition under {editions}/")
    base = f"{editions.as_posix()}/{names[-1]}"
    record = json.loads(_git("show", f"{ref}:{base}/edition.json", root=root))
    tables = {name: _git("show", f"{ref}:{base}/tables/{name}.csv", root=root)
              for name in record["tables"]}  # fmt: skip
    return Edition(record, tables, f"{ref}:{base}")


def find_since(since: str | None, newer: str, root: Path, editions: Path) -> Edition:
    """The older edition: ``since`` as an archived edition or a git ref; without it, the
    newest archived edition before ``newer``."""
    if since is None:
        before = [name for name in archived(root / editions) if name < newer]
        if not before:
            raise LookupError(f"no edition archived before {newer} in {editions}/: name one "
                              "with SINCE=<edition or git ref>")  # fmt: skip
        return from_folder(root / editions / before[-1])
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", since) and (root / editions / since).is_dir():
        return from_folder(root / editions / since)
    try:
        return from_git(since, root, editions)
    except LookupError as err:
        known = ", ".join(archived(root / editions)) or "none"
        raise LookupError(f"SINCE={since!r} is neither an archived edition ({known}) nor a "
                          f"git ref with one: {err}") from None  # fmt: skip


# --------------------------------------------------------------------------------------
# Comparing
# --------------------------------------------------------------------------------------


def sentences_quoting(qmd: str) -> dict[str, str]:
    """Each number's first sentence in the prose or a caption, as written."""
    found: dict[str, str] = {}
    for sentence in report_sentences(qmd, captions=True):
        for name in VAR.findall(sentence):
            found.setdefault(name, sentence)
    return found


def _rows(text: str, key: list[str]) -> dict[str, dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return {" / ".join(row[k] for k in key) if key else str(i): row for i, row in enumerate(rows)}


def _size(old: str, new: str) -> float:
    """How large a revision is: relative for numbers, 1 for a changed text or a blank."""
    try:
        a, b = float(old), float(new)
    except ValueError:
        return 1.0
    if math.isnan(a) or math.isnan(b):
        return 1.0
    return abs(b - a) / max(abs(a), 1e-12)


def compare_table(old: str, new: str, key: list[str]) -> TableChanges:
    before, after = _rows(old, key), _rows(new, key)
    changes = TableChanges(
        added=sorted(set(after) - set(before)), removed=sorted(set(before) - set(after))
    )
    revisions = []
    for row in sorted(set(before) & set(after)):
        old_row, new_row = before[row], after[row]
        cells = [(column, value, new_row.get(column, "")) for column, value in old_row.items()
                 if value != new_row.get(column, "")]  # fmt: skip
        if cells:
            changes.revised_rows += 1
            revisions += [(_size(a, b), row, column, a, b) for column, a, b in cells]
    revisions.sort(key=lambda r: (-r[0], r[1], r[2]))
    changes.revised = [(row, column, a, b) for _, row, column, a, b in revisions]
    return changes


def compare(old: Edition, new: Edition, qmd: str) -> Changes:
    quoting = sentences_quoting(qmd)
    numbers_old, numbers_new = old.record["numbers"], new.record["numbers"]
    order = {name: i for i, name in enumerate(quoting)}
    numbers = [
        (name, as_read(quoting[name], numbers_new), numbers_old[name], numbers_new[name])
        for name in sorted(set(numbers_new) & set(order), key=order.__getitem__)
        if name in numbers_old and numbers_old[name] != numbers_new[name]
    ]
    tables = {}
    for name, entry in new.record["tables"].items():
        if name in old.tables and old.record["tables"][name]["sha256"] != entry["sha256"]:
            tables[name] = compare_table(old.tables[name], new.tables[name], entry["key"])
        elif name not in old.tables:
            tables[name] = TableChanges(added=sorted(_rows(new.tables[name], entry["key"])))
    charts = sorted(name for name, digest in new.record["charts"].items()
                    if old.record["charts"].get(name) != digest)  # fmt: skip
    refs_old, refs_new = set(old.record["references"]), set(new.record["references"])
    snapshots = [
        (path, entry["accessed"], old.record["vintage"].get(path, {}).get("accessed", "—"))
        for path, entry in new.record["vintage"].items()
        if old.record["vintage"].get(path, {}).get("sha256") != entry["sha256"]
    ]
    labels = new.record.get("labels", {})
    return Changes(old.name, new.name, numbers, tables, charts, sorted(refs_new - refs_old),
                   sorted(refs_old - refs_new), snapshots, labels)  # fmt: skip


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def _day(iso: str) -> str:
    return day_text(iso) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso) else iso


def _count(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")


def _rows_changed(table: TableChanges) -> str:
    parts = [f"{_count(len(table.added), 'row')} added", f"{len(table.removed)} removed",
             f"{table.revised_rows} revised"]  # fmt: skip
    return ", ".join(parts)


def to_markdown(changes: Changes) -> str:
    """The whole list, for the page beside the report and the pull request."""
    lines = [f"# What changed since the edition of {_day(changes.old)}", "",
             f"From the edition of {_day(changes.old)} to the edition of "
             f"{_day(changes.new)}."]  # fmt: skip
    if not changes.data_changed and not changes.charts and not changes.references_added:
        return "\n".join([*lines, "", "Nothing in the report's data changed.", ""])
    if changes.snapshots:
        lines += ["", "## Snapshots taken anew", ""]
        lines += [f"- {changes.label('snapshots', path)} (`{path}`): taken {_day(new)}, "
                  f"was {_day(old)}" for path, new, old in changes.snapshots]  # fmt: skip
    lines += ["", f"## Numbers in the text ({len(changes.numbers)} changed)", ""]
    lines += [f"- **{old} → {new}**: {sentence}" for _, sentence, old, new in changes.numbers]
    lines += ["", "## Cleaned tables", ""]
    for name, table in sorted(changes.tables.items()):
        if not table:
            continue
        lines.append(f"- **{name}** ({changes.label('tables', name)}): {_rows_changed(table)}")
        for row, column, a, b in table.revised[:MAX_REVISIONS]:
            lines.append(f"  - {row}, {column}: {a} → {b}")
        if len(table.revised) > MAX_REVISIONS:
            lines.append(f"  - and {len(table.revised) - MAX_REVISIONS} more revised cells")
    if not any(changes.tables.values()):
        lines.append("No table changed.")
    lines += ["", "## Charts whose data changed", ""]
    lines += [f"- {changes.label('charts', name)}" for name in changes.charts] or ["None."]
    lines += ["", "## References", ""]
    lines += [f"- added: {key}" for key in changes.references_added]
    lines += [f"- removed: {key}" for key in changes.references_removed]
    if not changes.references_added and not changes.references_removed:
        lines.append("None added or removed.")
    return "\n".join(lines) + "\n"


_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto;
  padding: 0 1rem; color: #1a1a1a; }}
h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.2rem; margin-top: 2rem; }}
li {{ margin: .3rem 0; overflow-wrap: anywhere; }} code {{ font-size: .9em; }}
</style></head><body>
{body}
</body></html>
"""


def to_html(markdown: str) -> str:
    """The Markdown summary as a small standalone page (its own subset: headings,
    lists, bold, code), every text escaped."""
    out: list[str] = []
    depth = 0
    for line in markdown.splitlines():
        indent = (len(line) - len(line.lstrip())) // 2 + 1 if line.lstrip().startswith("- ") else 0
        while depth > indent:
            out.append("</ul>")
            depth -= 1
        text = html.escape(line.strip().removeprefix("- ").lstrip("# "))
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
        text = re.sub(r"`(.+?)`", r"<code>\1</code>", text)
        if indent:
            while depth < indent:
                out.append("<ul>")
                depth += 1
            out.append(f"<li>{text}</li>")
        elif line.startswith("## "):
            out.append(f"<h2>{text}</h2>")
        elif line.startswith("# "):
            out.append(f"<h1>{text}</h1>")
        elif line.strip():
            out.append(f"<p>{text}</p>")
    out += ["</ul>"] * depth
    title = html.escape(markdown.splitlines()[0].lstrip("# "))
    return _PAGE.format(title=title, body="\n".join(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make changes", description=__doc__.split("\n")[0])
    parser.add_argument("--since", help="an archived edition (YYYY-MM-DD) or a git ref")
    parser.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    root = args.root
    published = root / "reports/edition.json"
    try:
        if not published.is_file():
            raise LookupError(f"{published}: no published edition; run `make report` first")
        name = json.loads(published.read_text(encoding="utf-8"))["edition"]
        new = from_folder(root / EDITIONS / name)
        old = find_since(args.since, name, root, EDITIONS)
    except (LookupError, OSError, ValueError, KeyError) as err:
        print(f"ERROR: {one_line(str(err))}", file=sys.stderr)
        return 2
    qmd = (root / "reports/index.qmd").read_text(encoding="utf-8")
    changes = compare(old, new, qmd)
    markdown = to_markdown(changes)
    (root / "reports/changes.md").write_text(markdown, encoding="utf-8")
    (root / "reports/changes.html").write_text(to_html(markdown), encoding="utf-8")
    print(markdown, end="")
    print(f"\nWritten: reports/changes.html and reports/changes.md (from {old.where})")
    return 0


if __name__ == "__main__":
    sys.exit(main())


# --------------------------------------------------------------------------------------
# The report's own section
# --------------------------------------------------------------------------------------

#: The numbers the report's section lists; the rest are counted.
SECTION_NUMBERS = 8


def _escaped(text: str) -> str:
    """Text for Markdown that is never read as markup."""
    return re.sub(r"([\\`*_{}\[\]<>#|!~^$@])", r"\\\1", text)


def to_section(changes: Changes) -> str:
    """'What changed since the edition of …', for the report: empty when the data did
    not change. Every number, table and source is named in words, none by its id."""
    if not changes.data_changed:
        return ""
    lines = [f"## What changed since the edition of {_day(changes.old)} {{#sec-changes}}", ""]
    taken = sorted({changes.label("snapshots", path) for path, _, _ in changes.snapshots})
    if taken:
        lines += [f"This edition takes new data from {_escaped('; '.join(taken))}.", ""]
    if changes.numbers:
        lines += [f"In the text, {_count(len(changes.numbers), 'number')} changed:", ""]
        for name, _, old, new in changes.numbers[:SECTION_NUMBERS]:
            label = changes.label("numbers", name)
            lines.append(f"- {_escaped(label[:1].upper() + label[1:])}: "
                         f"{_escaped(old)} → {_escaped(new)}")  # fmt: skip
        if len(changes.numbers) > SECTION_NUMBERS:
            lines.append(f"- and {len(changes.numbers) - SECTION_NUMBERS} more")
        lines.append("")
    rows = [f"- {_escaped(changes.label('tables', name))} ({_rows_changed(table)})"
            for name, table in sorted(changes.tables.items()) if table]  # fmt: skip
    if rows:
        lines += ["In the cleaned tables:", "", *rows, ""]
    return "\n".join(lines)
