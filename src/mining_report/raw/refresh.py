"""Refresh a raw snapshot from upstream, or re-sign a hand-edited one; never silently.

``python -m mining_report.raw.refresh SOURCE`` fetches the source's tables, converts them
to the snapshot's format, writes each with a new sidecar into ``data/staging/<table>/``,
validates it with the table's model and prints (and saves) the difference from the
current snapshot: rows added, removed, changed, the largest changes and revisions of
values already published. Only ``--accept`` then moves the staged file and sidecar
over the snapshot; the previous one stays in git history. ``--resign TABLE``
re-validates a curated table edited by hand and only then writes its new sha256 and
a dated line in its sidecar's change log. A failure leaves every snapshot, sidecar and
report as it was, and no partial file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mining_report.checkout_lock import CheckoutBusy, hold_checkout, release_checkout
from mining_report.config_file import ConfigFileError, compare_with_published, load_yaml_safely
from mining_report.errors import ProvenanceError, ValidationFailed, one_line
from mining_report.io import write_text
from mining_report.raw import upstream
from mining_report.raw.http_limits import MESSAGE
from mining_report.raw.provenance import Sidecar, load_sidecar, sha256_of, sidecar_path
from mining_report.raw.staged_check import StagedRefused, check_staged
from mining_report.raw.vintage_diff import describe_diff, diff_csv, diff_tables

STAGING = Path("data/staging")


class RefreshError(Exception):
    """A refresh or re-sign could not be completed; nothing was replaced."""


@dataclass(frozen=True)
class Staged:
    """A fetched table in the staging folder, with the current snapshot it would replace."""

    table: str
    csv: Path
    sidecar: Path
    current: Path
    report: str


# --- staging ----------------------------------------------------------------------------


def table_key(table: str) -> list[str]:
    """The key of a raw table, from its model (``Config.unique`` or a unique field)."""
    from mining_report.raw.models import RAW_MODELS

    schema = RAW_MODELS[table].to_schema()
    if schema.unique:
        return [schema.unique] if isinstance(schema.unique, str) else list(schema.unique)
    unique = [name for name, column in schema.columns.items() if column.unique]
    if not unique:
        raise RefreshError(f"{table}: its model declares no key to compare vintages by")
    return unique


def new_sidecar(
    current: Sidecar, path: Path, frame: Any, download: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    """The current sidecar's fields, updated for a new vintage (``frame``, saved at
    ``path``), in the file's order."""
    meta = dict(current.mapping)
    meta.pop("copy_used", None)
    meta["download"] = download
    meta["accessed"] = now.date().isoformat()
    meta["retrieved_at"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    meta["rows"] = len(frame)
    meta["coverage"] = {"first": str(frame["date"].min()), "last": str(frame["date"].max())}
    meta["sha256"] = sha256_of(path)
    meta["changes_from_source"] = (
        "Fetched with `make refresh` and converted by src/mining_report/raw/upstream.py: "
        "formatting only (column names of this table, ISO dates, shares without the % sign); "
        "values as sent."
    )
    log = list(current.change_log)
    log.insert(0, f"{now.date().isoformat()}: refreshed from {download['url']} ({len(frame)} rows)")
    meta["change_log"] = log
    return meta


def _dump_sidecar(meta: dict[str, Any], table: str) -> str:
    head = (
        f"# Provenance sidecar for {table}.csv. The pipeline refuses the CSV if\n"
        "# its sha256 differs from the value below; edit the data and this file together.\n"
    )
    return head + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)


def stage_table(
    table: str, raw_csv: Path, csv_text: str, download: dict[str, Any], now: dt.datetime
) -> Staged:
    """Write a fetched table and its sidecar to staging, validate it, diff it."""
    import pandas as pd

    from mining_report.raw.models import RAW_MODELS
    from mining_report.raw.validation import validate_raw

    folder = STAGING / table
    shutil.rmtree(folder, ignore_errors=True)
    # Keep the snapshot's own line ends, so that git shows only what changed.
    with raw_csv.open("rb") as current:
        if b"\r\n" in current.read(4096):
            csv_text = csv_text.replace("\n", "\r\n")
    staged_csv = folder / raw_csv.name
    write_text(staged_csv, csv_text)
    new = pd.read_csv(staged_csv, dtype=str, keep_default_na=False)
    meta = new_sidecar(load_sidecar(raw_csv), staged_csv, new, download, now)
    write_text(sidecar_path(staged_csv), _dump_sidecar(meta, table))
    try:
        validate_raw(staged_csv, RAW_MODELS[table], folder / "failures.csv")
    except (ValidationFailed, ProvenanceError) as err:
        first = str(err).splitlines()[0]
        # Keep the failure cases to read; drop the pair that must not be accepted.
        staged_csv.unlink(missing_ok=True)
        sidecar_path(staged_csv).unlink(missing_ok=True)
        raise RefreshError(
            f"{table}: the staged download fails its checks and was not accepted: {first} "
            f"(all cases: {folder / 'failures.csv'})"
        ) from err
    old = pd.read_csv(raw_csv, dtype=str, keep_default_na=False)
    key = table_key(table)
    diff = diff_tables(old, new, key)
    report = describe_diff(table, diff, len(old), len(new))
    write_text(folder / "diff.txt", report + "\n")
    write_text(folder / "diff.csv", diff_csv(diff, key))
    return Staged(table, staged_csv, sidecar_path(staged_csv), raw_csv, report)


def fetch(source: str, spec: dict[str, Any], base_url: str | None, client: upstream.Client):
    """(table, csv text, download record) for each table the source refreshes.

    The source's ``limits:`` (config/sources.yaml) replace the client's defaults, and
    its refresh deadline starts here: every page and download below shares it.
    """
    base = base_url or spec["base_url"]
    try:
        limits = client.limits.updated(spec.get("limits"))
    except ValueError as err:
        raise RefreshError(f"config/sources.yaml: {source}: {err}") from None
    client.start(limits)
    if spec["kind"] == "coinmetrics":
        metrics = dict(spec["metrics"])
        rows = upstream.coinmetrics_rows(
            client, base, spec["endpoint"], dict(spec["parameters"]), list(metrics)
        )
        download = {
            "url": f"{base.rstrip('/')}/{spec['endpoint']}",
            "parameters": {**spec["parameters"], "metrics": ",".join(metrics)},
            "pages": len(client.requested),
        }
        yield spec["table"], upstream.coinmetrics_csv(rows, metrics), download
    elif spec["kind"] == "ccaf":
        for name, table in spec["downloads"].items():
            text = upstream.ccaf_download(client, base, name)
            url = f"{base.rstrip('/')}/download/{name}"
            yield table, upstream.ccaf_csv(name, text, url), {"url": url}
    else:
        raise RefreshError(f"source {source}: unknown kind {spec['kind']!r}")


def accept(staged: Staged) -> None:
    """Replace the snapshot and its sidecar by the staged pair."""
    for source, target in (
        (staged.csv, staged.current),
        (staged.sidecar, sidecar_path(staged.current)),
    ):
        tmp = target.with_name(f".{target.name}.accept.part")
        shutil.copyfile(source, tmp)
        tmp.replace(target)


def replacements(staged: list[Staged]) -> dict[Path, Path]:
    """Each snapshot and sidecar the staged tables would replace -> its staged file."""
    replace: dict[Path, Path] = {}
    for item in staged:
        replace[item.current] = item.csv
        replace[sidecar_path(item.current)] = item.sidecar
    return replace


def refresh(
    source: str,
    sources: dict[str, Any],
    raw_tables: dict[str, str],
    base_url: str | None = None,
    accept_staged: bool = False,
    client: upstream.Client | None = None,
    now: dt.datetime | None = None,
    check: Callable[[Mapping[Path, Path]], None] | None = None,
) -> list[Staged]:
    """Fetch, stage, validate and diff every table of ``source``; replace them if asked
    and if the build's checks pass on them (``check``: by default a scratch build)."""
    if source not in sources:
        raise RefreshError(
            f"unknown SOURCE {source!r}; config/sources.yaml has {', '.join(sources)}"
        )
    client = client or upstream.Client()
    now = now or dt.datetime.now(dt.UTC)
    staged = []
    # Everything is fetched and staged before anything is replaced.
    for table, csv_text, download in fetch(source, sources[source], base_url, client):
        if table not in raw_tables:
            raise RefreshError(f"{table}: not listed under raw_tables in config/config.yaml")
        staged.append(stage_table(table, Path(raw_tables[table]), csv_text, download, now))
    if accept_staged:
        # Only what the build accepts: its checks, run on the staged files first.
        try:
            (check or check_staged)(replacements(staged))
        except StagedRefused as err:
            raise RefreshError(str(err)) from err
        for item in staged:
            accept(item)
    return staged


# --- re-signing a curated table ---------------------------------------------------------


def resign(table: str, raw_tables: dict[str, str], now: dt.datetime | None = None) -> str:
    """Validate a hand-edited table and only then write its new sha256 and a log line."""
    import tempfile

    from mining_report.raw.models import RAW_MODELS
    from mining_report.raw.validation import validate_raw

    if table not in raw_tables:
        raise RefreshError(f"TABLE {table!r} is not listed under raw_tables in config/config.yaml")
    raw_csv = Path(raw_tables[table])
    meta_path = sidecar_path(raw_csv)
    sidecar = load_sidecar(raw_csv)  # sha256 as written, whatever YAML makes of it
    new_hash = sha256_of(raw_csv)
    if sidecar.sha256 == new_hash:
        return f"{raw_csv}: unchanged since it was signed; nothing to do"
    now = now or dt.datetime.now(dt.UTC)
    # Validate a copy signed with the new hash, so the sidecar is touched only on success.
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / raw_csv.name
        shutil.copyfile(raw_csv, copy)
        signed = {**sidecar.mapping, "sha256": new_hash}
        write_text(sidecar_path(copy), _dump_sidecar(signed, table))
        try:
            validate_raw(copy, RAW_MODELS[table], Path(scratch) / "failures.csv")
        except (ValidationFailed, ProvenanceError) as err:
            message = str(err).replace(str(copy), str(raw_csv)).splitlines()
            raise RefreshError(
                f"{raw_csv}: not re-signed, it fails its checks: {message[0]}"
                + ("".join(f"\n{line}" for line in message[1:4]))
            ) from err
    text = meta_path.read_text(encoding="utf-8")
    written = re.compile(re.escape(sidecar.sha256), re.IGNORECASE)
    if len(written.findall(text)) != 1:
        raise RefreshError(f"{meta_path}: its sha256 line could not be found exactly once")
    text = written.sub(new_hash, text)
    entry = (
        f'  - "{now.date().isoformat()}: re-signed after a hand edit (sha256 {new_hash[:12]}…)"\n'
    )
    if "\nchange_log:\n" in text:
        text = text.replace("\nchange_log:\n", "\nchange_log:\n" + entry, 1)
    else:
        text = text.rstrip("\n") + "\nchange_log:\n" + entry
    write_text(meta_path, text)
    return f"{raw_csv}: validated and re-signed (sha256 {new_hash})"


# --- command line -----------------------------------------------------------------------


#: What a source or table name may be: the keys of config/sources.yaml and raw_tables.
NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


def argument_problem(source: str | None, base_url: str | None, table: str | None) -> str | None:
    """What is wrong with the command's arguments, in one line; None if nothing.

    They arrive from make variables: checked as data before anything reads them.
    """
    from urllib.parse import urlsplit

    if source is not None and not NAME.fullmatch(source):
        return f"SOURCE must be a source's name (a-z, 0-9, _), not {source!r}"
    if table is not None and not NAME.fullmatch(table):
        return f"TABLE must be a raw table's name (a-z, 0-9, _), not {table!r}"
    if base_url is not None:
        parts = urlsplit(base_url) if base_url.isprintable() else None
        if (
            parts is None
            or parts.scheme not in ("http", "https")
            or not parts.hostname
            or any(c.isspace() for c in base_url)
        ):
            return f"BASE_URL must be an http(s) address without spaces, not {base_url!r}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make refresh", description=__doc__.split("\n")[0])
    parser.add_argument("source", nargs="?", help="a source in config/sources.yaml")
    parser.add_argument("--base-url", help="API root to use instead of the configured one")
    parser.add_argument("--accept", action="store_true", help="replace the snapshot(s)")
    parser.add_argument("--resign", metavar="TABLE", help="re-sign a hand-edited raw table")
    args = parser.parse_args(argv)
    problem = argument_problem(args.source, args.base_url, args.resign)
    if problem:
        print(f"ERROR: {problem}", file=sys.stderr)
        return 2
    # Never while a build reads the snapshots: wait for it (see checkout_lock).
    what = f"re-signing {args.resign}" if args.resign else f"a refresh of {args.source}"
    try:
        hold_checkout(".", what, say=lambda line: print(line, file=sys.stderr, flush=True))
    except CheckoutBusy as err:
        print(f"ERROR: {err}", file=sys.stderr)
        return 1
    try:
        return _run(parser, args)
    finally:
        release_checkout(".")


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """The command, once it holds the checkout."""
    try:
        # Read as the build reads them: no alias expanded, size-limited, one-line errors.
        raw_tables = load_yaml_safely("config/config.yaml")["raw_tables"]
        if args.resign:
            print(resign(args.resign, raw_tables))
            return 0
        if not args.source:
            parser.error("name a SOURCE (make refresh SOURCE=coinmetrics) or --resign TABLE")
        sources = load_yaml_safely("config/sources.yaml")
        staged = refresh(args.source, sources, raw_tables, args.base_url, args.accept)
    except Exception as err:  # not BaseException: Ctrl-C and exit still stop it at once
        if isinstance(
            err, (RefreshError, upstream.UpstreamError, ProvenanceError, ConfigFileError)
        ):
            message = str(err)
        else:  # a bug met on a strange answer: still one line, not a traceback
            where = args.source or args.resign
            message = one_line(f"{where}: unexpected {type(err).__name__}: {err}", MESSAGE)
        print(f"ERROR: {message}", file=sys.stderr)
        print("Nothing was replaced: the snapshots, sidecars and report are as they were.",
              file=sys.stderr)  # fmt: skip
        return 1
    for item in staged:
        print(item.report)
        print(f"  staged: {item.csv} (+ sidecar, diff.txt, diff.csv)")
    if args.accept:
        names = ", ".join(str(item.current) for item in staged)
        print(f"Accepted: {names} replaced. Review `git diff`, then `make report`.")
        # The next build is a new edition: the report says what changed since this one.
        try:
            since = compare_with_published()
        except ConfigFileError as err:
            print(f"ERROR: {err}", file=sys.stderr)
            return 1
        if since:
            print(f"The report will say what changed since the edition of {since} "
                  "(report.since_edition in config/config.yaml).")  # fmt: skip
    else:
        print("Nothing replaced yet. To accept: make refresh SOURCE=... ACCEPT=1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
