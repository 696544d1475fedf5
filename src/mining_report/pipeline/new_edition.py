"""The living report's loop: refresh every source, rebuild, and say what changed.

``make new-edition`` (and the weekly workflow, .github/workflows/refresh.yml) runs:

1. every source of config/sources.yaml fetched anew and staged (``make refresh``);
   a table whose CSV is byte for byte the snapshot's is left as it is, sidecar too;
2. if nothing changed, stop: there is no new edition;
3. the changed snapshots accepted once the build's checks pass on them; if they fail
   (a claim of the prose the new data no longer bear out, a table that breaks its
   model), the snapshots are accepted all the same with ``--keep-refused`` (the
   weekly workflow's branch, for review), otherwise nothing is replaced;
4. the report rebuilt (``make report``), with a section on what changed since the
   edition published before (report.since_edition set to it): it publishes a new
   edition, or stops on a broken claim and keeps the last good report;
5. ``make changes`` since the edition published before.

It writes ``reports/_build/pull-request.md``, the body of the weekly pull request, and,
under GitHub Actions, the step outputs ``changed`` and ``broken``. The exit status is 0
when it ran through (a broken claim included: the body says which), 1 on an error.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from mining_report.checkout_lock import CheckoutBusy, hold_checkout, release_checkout
from mining_report.config_file import (
    ConfigFileError,
    compare_with_published,
    load_yaml_safely,
)
from mining_report.errors import ProvenanceError, one_line
from mining_report.raw import upstream
from mining_report.raw.refresh import (
    RefreshError,
    Staged,
    accept,
    argument_problem,
    refresh,
    replacements,
)
from mining_report.raw.staged_check import StagedRefused, check_staged

BODY = Path("reports/_build/pull-request.md")


@dataclass
class Outcome:
    changed: list[Staged] = field(default_factory=list)
    #: The build's verdict on the staged data, when its checks refused them.
    refused: str | None = None
    #: The build's last line, when it failed.
    broken: str | None = None
    changes: str | None = None


def _same(staged: Staged) -> bool:
    return staged.current.is_file() and staged.csv.read_bytes() == staged.current.read_bytes()


def stage_all(base_urls: dict[str, str]) -> list[Staged]:
    """Every source fetched and staged; only the tables whose data changed returned."""
    sources = load_yaml_safely("config/sources.yaml")
    raw_tables = load_yaml_safely("config/config.yaml")["raw_tables"]
    changed = []
    for source in sources:
        staged = refresh(source, sources, raw_tables, base_urls.get(source))
        changed += [item for item in staged if not _same(item)]
    return changed


def accept_changed(changed: list[Staged], keep_refused: bool) -> str | None:
    """Replace the changed snapshots if the build's checks pass on them; the checks'
    verdict if they do not (the snapshots replaced all the same with ``keep_refused``)."""
    try:
        check_staged(replacements(changed))
        verdict = None
    except StagedRefused as err:
        verdict = one_line(str(err))
        if not keep_refused:
            return verdict
    for item in changed:
        accept(item)
    return verdict


def rebuild() -> str | None:
    """`make report`; None if it published, else its last line (why it stopped)."""
    done = subprocess.run([sys.executable, "-m", "mining_report.pipeline.launcher",
                           "--cores", "all"], capture_output=True, text=True)  # fmt: skip
    if done.returncode == 0:
        return None
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    claims = [line for line in lines if "no longer holds" in line]
    return (claims or lines or ["the build failed"])[0].removeprefix("ERROR: ")


def changes_since(before: str | None) -> str:
    from mining_report.report import changes

    args = ["--since", before] if before else []
    if changes.main(args) != 0:
        raise RefreshError("make changes failed (above)")
    return Path("reports/changes.md").read_text(encoding="utf-8")


def body(outcome: Outcome) -> str:
    names = ", ".join(f"`{item.current}`" for item in outcome.changed)
    lines = ["Weekly refresh of every source.", "", f"Snapshots taken anew: {names}.", ""]
    if outcome.broken:
        lines += ["**The build stops on the new data, so no edition was published:**", "",
                  f"> {outcome.broken}", "",
                  "If the new data are right, rewrite the sentence (or its check in "
                  "`src/mining_report/numbers/claims.py`); if not, close this pull request.",
                  ""]  # fmt: skip
        for item in outcome.changed:
            lines += [f"<details><summary>{item.table}</summary>", "", "```",
                      item.report, "```", "</details>", ""]  # fmt: skip
    if outcome.changes:
        lines.append(outcome.changes)
    return "\n".join(lines)


def run(base_urls: dict[str, str], keep_refused: bool) -> Outcome:
    outcome = Outcome()
    # Never while a build reads the snapshots; the rebuild below takes the lock itself.
    hold_checkout(".", "a new edition", say=lambda line: print(line, file=sys.stderr))
    try:
        outcome.changed = stage_all(base_urls)
        if outcome.changed:
            outcome.refused = accept_changed(outcome.changed, keep_refused)
    finally:
        release_checkout(".")
    if not outcome.changed:
        return outcome
    if outcome.refused and not keep_refused:
        outcome.broken = outcome.refused
        return outcome
    before = compare_with_published()
    outcome.broken = rebuild()
    if outcome.broken is None:
        outcome.changes = changes_since(before)
    return outcome


def _outputs(outcome: Outcome) -> None:
    target = os.environ.get("GITHUB_OUTPUT")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(f"changed={'true' if outcome.changed else 'false'}\n")
            out.write(f"broken={'true' if outcome.broken else 'false'}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make new-edition", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--base-url",
        action="append",
        default=[],
        metavar="SOURCE=URL",
        help="an API root to use for SOURCE instead of the configured one",
    )
    parser.add_argument("--keep-refused", action="store_true",
                        help="accept new data the build refuses (for a pull request)")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        base_urls = dict(item.split("=", 1) for item in args.base_url)
    except ValueError:
        parser.error("--base-url takes SOURCE=URL")
    for source, url in base_urls.items():
        problem = argument_problem(source, url, None)
        if problem:
            print(f"ERROR: {problem}", file=sys.stderr)
            return 2
    try:
        outcome = run(base_urls, args.keep_refused)
    except (RefreshError, upstream.UpstreamError, ProvenanceError, ConfigFileError,
            CheckoutBusy) as err:  # fmt: skip
        print(f"ERROR: {one_line(str(err))}", file=sys.stderr)
        return 1
    _outputs(outcome)
    if not outcome.changed:
        print("Nothing changed upstream: no new edition.")
        return 0
    BODY.parent.mkdir(parents=True, exist_ok=True)
    BODY.write_text(body(outcome), encoding="utf-8")
    if outcome.broken:
        print(f"The build stops on the new data: {outcome.broken}", file=sys.stderr)
    else:
        print("A new edition was published; what changed is in reports/changes.html.")
    print(f"The pull request's text: {BODY}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
