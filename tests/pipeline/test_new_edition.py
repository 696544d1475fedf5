"""The living loop end to end, against loopback stand-ins of Coin Metrics and CCAF:
refresh every source → rebuild → a new edition and its changes page; and a refresh
whose data break a claim of the prose → the build stops naming the sentence, the last
good report stays published."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml
from test_refresh_built import FIELDS, with_july
from upstream_server import Upstream, ccaf_downloads, coinmetrics_pages

from mining_report.numbers.claims import report_sentences

from conftest import digest

COUNTRIES = "data/raw/ccaf/cbeci_countries.csv"
PROVINCES = "data/raw/ccaf/cbeci_provinces.csv"


def new_edition(project: Path, env: dict[str, str], series: Path, *flags: str):
    with Upstream() as server:
        coinmetrics_pages(server, series)
        ccaf_downloads(server, project / COUNTRIES, project / PROVINCES)
        command = [sys.executable, "-m", "mining_report.pipeline.new_edition",
                   "--base-url", f"coinmetrics={server.url}/v4",
                   "--base-url", f"ccaf={server.url}/ccaf", *flags]  # fmt: skip
        return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                              timeout=900)  # fmt: skip


def quoted_in_prose(project: Path) -> set[str]:
    qmd = (project / "reports/index.qmd").read_text(encoding="utf-8")
    text = " ".join(report_sentences(qmd, captions=True))
    return set(re.findall(r"\{\{<var ([\w.]+) >\}\}", text))


def test_a_refreshed_vintage_is_a_new_edition_and_its_changes_are_listed(
    built_copy: Path, built_env: dict[str, str], tmp_path: Path
) -> None:
    project = built_copy
    first = json.loads((project / "reports/edition.json").read_text())["edition"]
    assert (project / f"editions/{first}/edition.json").is_file()
    old_numbers = yaml.safe_load((project / "reports/_variables.yml").read_text())
    old_prices = (project / "data/processed/price_trends.csv").read_text()
    ccaf_before = {p: digest(project / p) for p in (COUNTRIES, PROVINCES)}
    ccaf_meta = {p: digest(project / p.replace(".csv", ".meta.yml")) for p in ccaf_before}

    done = new_edition(project, built_env, with_july(project / FIELDS, tmp_path / "cm.csv"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "A new edition was published" in done.stdout

    # CCAF served what the snapshots hold: left as they were, sidecars too.
    assert {p: digest(project / p) for p in ccaf_before} == ccaf_before
    assert {p: digest(project / p.replace(".csv", ".meta.yml")) for p in ccaf_meta} == ccaf_meta
    # The new edition is named by the day Coin Metrics was taken again: today.
    second = json.loads((project / "reports/edition.json").read_text())["edition"]
    assert second == dt.datetime.now(dt.UTC).date().isoformat() != first
    assert (project / f"editions/{second}/tables/price_trends.csv").is_file()

    # Every number of the prose whose text changed, old and new, and no other: the list
    # computed here from the two editions' variables.
    new_numbers = yaml.safe_load((project / "reports/_variables.yml").read_text())
    expected = {name: (old_numbers[name], new_numbers[name])
                for name in quoted_in_prose(project) & set(old_numbers) & set(new_numbers)
                if old_numbers[name] != new_numbers[name]}  # fmt: skip
    # By hand: July adds 31 rows to the snapshot and one difficulty epoch (from 1 July);
    # the edition is the day of the refresh.
    rows = int(old_numbers["validation_rows"].replace(",", ""))
    assert expected["validation_rows"][1] == f"{rows + 31:,}"
    count = int(old_numbers["difficulty_adjustment_count"])
    assert expected["difficulty_adjustment_count"][1] == str(count + 1)
    assert expected["edition_day"][1] == new_numbers["edition_day"] != old_numbers["edition_day"]
    page = (project / "reports/changes.md").read_text()
    listed = re.findall(r"^- \*\*(.+?) → (.+?)\*\*: ", page, re.MULTILINE)
    assert sorted(listed) == sorted(expected.values())
    assert f"({len(expected)} changed)" in page
    # The weeks July added to the weekly series, as rows added to its table.
    old_weeks = {row["week_start"] for row in csv.DictReader(io.StringIO(old_prices))}
    new_weeks = {row["week_start"] for row in csv.DictReader(
        io.StringIO((project / "data/processed/price_trends.csv").read_text()))}  # fmt: skip
    added = len(new_weeks - old_weeks)
    # By hand: the week of 27 June, whole now, and the four Monday weeks of July.
    assert sorted(new_weeks - old_weeks) == ["2022-06-27", "2022-07-04", "2022-07-11",
                                             "2022-07-18", "2022-07-25"]  # fmt: skip
    assert re.search(rf"^- \*\*price_trends\*\* \(.+\): {added} rows added, 0 removed, "
                     r"0 revised$", page, re.MULTILINE)  # fmt: skip
    assert "- Network hashrate with the main measures" in page  # the weekly hashrate's chart
    html = (project / "reports/changes.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "What changed since the edition of" in html
    assert (project / "reports/_build/pull-request.md").read_text().endswith(page)

    # The report itself says what changed since the edition it replaces, in words.
    config = yaml.safe_load((project / "config/config.yaml").read_text())
    assert config["report"]["since_edition"] == first
    section = (project / "reports/_build/changes-section.md").read_text()
    day = dt.date.fromisoformat(first)
    assert section.startswith(f"## What changed since the edition of {day.day} December")
    assert f"- The number of difficulty adjustments: {count} → {count + 1}" in section
    assert "difficulty_adjustment_count" not in section and "price_trends" not in section
    report = (project / "reports/crackdown.html").read_text()
    assert "What changed since the edition of" in report

    # Asked again, the same two editions, by name.
    command = [sys.executable, "-m", "mining_report.report.changes", "--since", first]
    again = subprocess.run(command, cwd=project, env=built_env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert (project / "reports/changes.md").read_text() == page


def test_nothing_new_upstream_is_no_new_edition(built_copy: Path, built_env: dict) -> None:
    project = built_copy
    before = {n: digest(project / f"reports/crackdown.{n}") for n in ("html", "pdf")}
    done = new_edition(project, built_env, project / FIELDS)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Nothing changed upstream" in done.stdout
    assert {n: digest(project / f"reports/crackdown.{n}") for n in before} == before
    assert not (project / "reports/_build/pull-request.md").exists()


def capped_early_prices(committed: Path, target: Path) -> Path:
    """The series with every price before the base week capped at 40,000 USD: the
    price then never stood above its base-week close before the national measures."""
    rows = list(csv.DictReader(io.StringIO(committed.read_text(encoding="utf-8"))))
    for row in rows:
        if row["date"] < "2021-05-10":
            row["PriceUSD"] = str(min(float(row["PriceUSD"]), 40000.0))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


def test_new_data_that_break_a_claim_stop_the_build_and_the_pull_request_says_which(
    built_copy: Path, built_env: dict[str, str], tmp_path: Path
) -> None:
    project = built_copy
    published = {n: digest(project / f"reports/crackdown.{n}") for n in ("html", "pdf")}
    edition = (project / "reports/edition.json").read_bytes()
    snapshot = digest(project / FIELDS)
    series = capped_early_prices(project / FIELDS, tmp_path / "cm.csv")
    done = new_edition(project, built_env, series, "--keep-refused")
    assert done.returncode == 0, done.stderr[-3000:]
    sentence = '"The price had already come off its high before the national measures: in'
    assert "The build stops on the new data" in done.stderr and sentence in done.stderr
    assert "price_off_its_high" in done.stderr
    body = (project / "reports/_build/pull-request.md").read_text()
    assert "no edition was published" in body and sentence in body
    # The data are in place for review; the report and its edition are the last good ones.
    assert digest(project / FIELDS) != snapshot
    prices = {r["date"]: float(r["PriceUSD"]) for r in csv.DictReader(io.StringIO(
        (project / FIELDS).read_text(encoding="utf-8")))}  # fmt: skip
    assert prices["2021-04-13"] == 40000.0
    assert {n: digest(project / f"reports/crackdown.{n}") for n in published} == published
    assert (project / "reports/edition.json").read_bytes() == edition
