"""The qualitative claims of the report, checked on a build's tables: each kind of claim
flipped by changing the data, and a build whose data break a claim stopped before it
renders, naming the sentence, with the last good report kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from mining_report.errors import ClaimBroken
from mining_report.numbers.claims import CLAIMS, KINDS, check_claims, refuse_broken
from mining_report.registry import CLAIM_INPUTS

from conftest import digest, resign, snakemake

OPTIONS = {"baseline_month": "2021-01-01"}


@pytest.fixture(scope="module")
def tables(built_project: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(built_project / source.path)
            for name, source in CLAIM_INPUTS.items()}  # fmt: skip


def verdicts_after(tables: dict[str, pd.DataFrame], table: str, change: Callable) -> dict:
    changed = {name: frame.copy() for name, frame in tables.items()}
    changed[table] = change(changed[table])
    return {v.claim.name: v for v in check_claims(changed, OPTIONS)}


def test_every_claim_holds_on_the_data_as_published(tables) -> None:
    broken = [v.claim.name for v in check_claims(tables, OPTIONS) if not v.holds]
    assert broken == []


def _set(frame: pd.DataFrame, where: dict, column: str, value) -> pd.DataFrame:
    rows = pd.Series(True, index=frame.index)
    for key, wanted in where.items():
        rows &= frame[key] == wanted
    assert rows.sum() >= 1, where
    frame.loc[rows, column] = value
    return frame


# One change of the data per kind of claim (and more), each making the claim false.
FLIPS = {
    # superlative: another country gains more share than the one named as gaining most
    "us_gained_most": ("hashrate_migration", lambda f: _set(
        f, {"country": "Kazakhstan", "period": "latest"}, "share_change_pts", 40.0)),
    # ranking: the survey's second destination counted above its first
    "destinations_in_order": ("machine_exports_by_destination", lambda f: _set(
        f, {"destination_country": "Kazakhstan"}, "machines", 300000.0)),
    "top_destination_largest": ("machine_exports_by_destination", lambda f: _set(
        f, {"destination_country": "United States"}, "machines", 300000.0)),
    # direction: the largest share latest above the largest before
    "largest_share_fell": ("hashrate_migration", lambda f: _set(
        f, {"country": "United States", "period": "latest"}, "share_pct", 60.0)),
    # first: a measure elsewhere announced before Inner Mongolia's
    "inner_mongolia_first": ("shutdowns", lambda f: _set(
        f, {"event_id": "E16"}, "date_announced", pd.Timestamp("2021-02-01"))),
    # only: the United States alone no longer gains more than China lost
    "us_gain_above_china_loss": ("hashrate_migration", lambda f: _set(
        f, {"country": "United States", "period": "latest"}, "hashrate_change_ehs", 1.0)),
    # back at: the network's hashrate never back at its base-week level
    "hashrate_back_at_base": ("price_recovery", lambda f: _set(
        f, {"series": "hashrate_ehs_7d"}, "recovered_by", pd.NaT)),
    "first_back": ("price_recovery", lambda f: _set(
        f, {"series": "btc_close_usd"}, "weeks_to_baseline", 11)),
    # two adjustments tied for the largest fall: neither is "the largest"
    "difficulty_largest_fall": ("difficulty_adjustments", lambda f: f.assign(
        change_pct=f["change_pct"].where(f["change_pct"] > -16, f["change_pct"].min()))),
    "machines_by_the_million": ("machine_exports", lambda f: _set(
        f, {"figure_id": "M01"}, "machines", 900000.0)),
    "gains_mostly_new": ("hashrate_migration", lambda f: _set(
        f, {"country": "China", "period": "latest"}, "hashrate_change_ehs", -70.0)),
    "press_prices_fell": ("machine_flows", lambda f: _set(f, {"figure_id": "M32"}, "value", "700")),
}  # fmt: skip


@pytest.mark.parametrize("claim", sorted(FLIPS))
def test_changing_the_data_breaks_the_claim_and_only_the_claims_it_touches(tables, claim) -> None:
    table, change = FLIPS[claim]
    verdicts = verdicts_after(tables, table, change)
    assert not verdicts[claim].holds, verdicts[claim].now
    with pytest.raises(ClaimBroken) as raised:
        refuse_broken([v for v in verdicts.values() if not v.holds], {})
    assert "\n" not in str(raised.value)


def test_every_kind_of_claim_is_flipped_by_a_test() -> None:
    kinds = {claim.kind for claim in CLAIMS if claim.name in FLIPS}
    assert kinds == set(KINDS)


def test_a_refresh_that_breaks_a_claim_stops_the_build_and_keeps_the_report(
    built_copy: Path, built_env: dict[str, str]
) -> None:
    project = built_copy
    published = {n: digest(project / f"reports/crackdown.{n}") for n in ("html", "pdf")}
    flows = project / "data/raw/press/machine_flows.csv"
    lines = flows.read_bytes().split(b"\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(b"M32,"))
    fields = lines[at].split(b",")
    value = fields.index(b"150")
    fields[value] = b"700"  # June's second-hand price now above April's 600
    lines[at] = b",".join(fields)
    flows.write_bytes(b"\n".join(lines))
    resign(flows)
    done = snakemake(project, "--config", "render_engine=pandoc", env=built_env)
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if "no longer holds" in line]
    assert errors, done.stderr[-3000:]
    # The sentence as a reader reads it, the claim, the value now.
    assert 'sentence "Machine prices fell, by the press\'s accounts." no longer holds' in errors[0]
    assert "press_prices_fell" in errors[0] and "June 700, April 600" in errors[0]
    assert not (project / "reports/_build/claims.json").exists()
    assert {n: digest(project / f"reports/crackdown.{n}") for n in published} == published
    assert "BROKEN press_prices_fell" in (project / "logs/report/claims.log").read_text()
