"""The report's headline numbers, recomputed a second way from the raw snapshots.

Each test reads the raw CSVs under data/raw/ with the csv module (never the
package's functions), works the claim out again, and compares it with the value
the built project wrote to reports/_variables.yml (and, where there is one, with
the processed table it came from).
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml

NBSP = "\u00a0"
#: CCAF's country labels that differ from the names the report uses.
CCAF_NAMES = {
    "Mainland China": "China",
    "Russian Federation": "Russia",
    "Iran, Islamic Rep.": "Iran",
    "Germany *": "Germany",
    "Ireland *": "Ireland",
}
#: A final order of this kind, over this scope, certainly covers its jurisdiction.
STOP_MEASURES = {"ban", "shutdown_order", "power_cutoff"}
WHOLE = {"national", "province"}


def rows(project: Path, relative: str) -> list[dict[str, str]]:
    with (project / "data/raw" / relative).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def as_month(day_: dt.date) -> str:
    return f"{day_:%B %Y}"


def as_day(day_: dt.date) -> str:
    return f"{day_.day} {day_:%B %Y}"


def as_share(value: float) -> str:
    return f"{value:.2f}{NBSP}%"


def whole_percent(value: float) -> str:
    rounded = Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{rounded}{NBSP}%"


@pytest.fixture(scope="module")
def variables(built_project: Path) -> dict[str, str]:
    return yaml.safe_load((built_project / "reports/_variables.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def analysis(built_project: Path) -> dict:
    config = yaml.safe_load((built_project / "config/config.yaml").read_text(encoding="utf-8"))
    return config["analysis"]


@pytest.fixture(scope="module")
def ccaf(built_project: Path) -> dict[str, dict[str, float]]:
    """Country (report's name) → ISO month → share of global hashrate, from the raw CSV."""
    shares: dict[str, dict[str, float]] = {}
    for row in rows(built_project, "ccaf/cbeci_countries.csv"):
        name = CCAF_NAMES.get(row["country"], row["country"])
        shares.setdefault(name, {})[row["date"]] = float(row["share_pct"])
    return shares


def processed(project: Path, table: str) -> pd.DataFrame:
    return pd.read_parquet(project / f"data/processed/{table}.parquet")


# --------------------------------------------------------------------------------------
# CCAF
# --------------------------------------------------------------------------------------


def test_china_share_in_the_baseline_month(
    variables: dict[str, str], analysis: dict, ccaf: dict, built_project: Path
) -> None:
    baseline = analysis["baseline_month"]
    expected = ccaf["China"][baseline]
    assert variables["baseline_month"] == as_month(day(baseline))
    assert variables["china_share_baseline"] == as_share(expected)
    table = processed(built_project, "hashrate_by_country")
    row = table[(table["country"] == "China") & (table["month"] == pd.Timestamp(baseline))]
    assert row["share_pct"].tolist() == [expected]


def test_china_first_at_zero_after_the_baseline(
    variables: dict[str, str], analysis: dict, ccaf: dict
) -> None:
    baseline = analysis["baseline_month"]
    zero = sorted(m for m, s in ccaf["China"].items() if m > baseline and s == 0)
    assert zero, "China never at zero in the raw CSV"
    assert variables["china_zero_month"] == as_month(day(zero[0]))
    assert variables["china_zero_month_count"] == str(len(zero))


@pytest.mark.parametrize(
    ("country", "slug"),
    [("Russia", "ru"), ("Kazakhstan", "kz"), ("United States", "us"), ("Canada", "ca")],
)
def test_peak_is_the_argmax_over_the_whole_ccaf_series(
    variables: dict[str, str], ccaf: dict, country: str, slug: str
) -> None:
    # Sorted by month, max() keeps the first of a tie: the earliest month.
    month, value = max(sorted(ccaf[country].items()), key=lambda item: item[1])
    assert variables[f"{slug}_peak_month"] == as_month(day(month))
    assert variables[f"{slug}_peak_share"] == as_share(value)


def test_largest_gainer_between_the_baseline_and_the_latest_month(
    variables: dict[str, str], analysis: dict, ccaf: dict
) -> None:
    baseline = analysis["baseline_month"]
    pinned = str(analysis["migration_months"]["latest"])
    latest = max(ccaf["China"]) if pinned == "last" else pinned
    gains = {
        country: series[latest] - series[baseline]
        for country, series in ccaf.items()
        if country != "Other"
    }
    gainer = max(gains, key=gains.__getitem__)
    assert sorted(gains.values())[-1] > sorted(gains.values())[-2], "a tie: no single gainer"
    assert variables["largest_gainer"] == gainer
    assert variables["largest_gainer_points"] == f"{gains[gainer]:.2f}"
    assert variables["largest_gainer_share_before"] == as_share(ccaf[gainer][baseline])
    assert variables["largest_gainer_share_latest"] == as_share(ccaf[gainer][latest])
    assert variables["migration_latest_month"] == as_month(day(latest))


# --------------------------------------------------------------------------------------
# Stop orders and the share of China they reached
# --------------------------------------------------------------------------------------


def exposure_timeline(
    events: list[dict[str, str]], shares: dict[str, float], year: int
) -> list[tuple[dt.date, float, float]]:
    """(day, certain, at most) on each day a final stop order of ``year`` was announced."""
    orders = sorted(
        (day(e["date_announced"]), e["jurisdiction"], e["scope"])
        for e in events
        if e["measure"] in STOP_MEASURES and e["stage"] == "final" and e["date_announced"]
    )
    whole: set[str] = set()
    partial: set[str] = set()
    timeline = []
    for today in sorted({announced for announced, _, _ in orders if announced.year == year}):
        for announced, where, scope in orders:
            if announced == today:
                (whole if scope in WHOLE else partial).add(where)
        if "national" in whole:
            certain = at_most = 100.0
        else:
            reached = whole | partial
            certain = sum(shares.get(where, 0.0) for where in whole)
            at_most = sum(shares.get(where, 0.0) for where in reached)
            if any(where not in shares for where in reached):
                at_most += shares["Other"]  # a province CCAF folds into "Other"
            at_most = min(at_most, 100.0)
        timeline.append((today, certain, at_most))
    return timeline


def province_shares(built_project: Path, month: str) -> dict[str, float]:
    return {
        row["province"]: float(row["share_of_china_pct"])
        for row in rows(built_project, "ccaf/cbeci_provinces.csv")
        if row["date"] == month
    }


def test_stop_order_bounds_on_the_plateau_day(
    variables: dict[str, str], analysis: dict, built_project: Path
) -> None:
    baseline = analysis["baseline_month"]
    shares = province_shares(built_project, baseline)
    events = rows(built_project, "press/events.csv")
    timeline = exposure_timeline(events, shares, int(analysis["exposure_year"]))
    full_day = next(today for today, certain, _ in timeline if certain >= 100)
    before = [entry for entry in timeline if entry[0] < full_day]
    highest = max(certain for _, certain, _ in before)
    plateau, certain, at_most = next(entry for entry in before if entry[1] == highest)

    assert variables["stop_order_full_day"] == as_day(full_day)
    assert variables["stop_order_plateau_day"] == as_day(plateau)
    assert variables["stop_order_certain_share"] == as_share(certain)
    assert variables["stop_order_at_most_share"] == as_share(at_most)
    assert variables["stop_order_at_most_before_national"] == as_share(before[-1][2])
    # A real spread between the bounds, or the test would not tell them apart.
    assert certain < at_most < before[-1][2] < 100

    table = processed(built_project, "shutdown_exposure")
    on_plateau = table[table["weights"] == "baseline"].set_index("date").loc[pd.Timestamp(plateau)]
    assert on_plateau["certain_share_of_china_pct"] == pytest.approx(certain, abs=1e-9)
    assert on_plateau["at_most_share_of_china_pct"] == pytest.approx(at_most, abs=1e-9)


def test_the_wet_season_weights_are_sichuans_peak_month_before_the_baseline(
    variables: dict[str, str], analysis: dict, built_project: Path
) -> None:
    baseline = day(analysis["baseline_month"])
    year_before = baseline.replace(year=baseline.year - 1)
    listed: dict[str, set[str]] = {}
    sichuan: dict[str, float] = {}
    for row in rows(built_project, "ccaf/cbeci_provinces.csv"):
        listed.setdefault(row["date"], set()).add(row["province"])
        if row["province"] == "Sichuan":
            sichuan[row["date"]] = float(row["share_of_china_pct"])
    everyone = listed[analysis["baseline_month"]]
    candidates = {
        month: value
        for month, value in sichuan.items()
        if year_before <= day(month) < baseline and everyone <= listed[month]
    }
    wet = max(sorted(candidates), key=lambda month: candidates[month])
    assert variables["wet_season_month"] == as_month(day(wet))
    # The wet month moves the weights a long way: Sichuan's share is several times larger.
    assert sichuan[wet] > 3 * sichuan[analysis["baseline_month"]]

    events = rows(built_project, "press/events.csv")
    timeline = exposure_timeline(events, province_shares(built_project, wet), baseline.year)
    plateau = next(
        today for today, _, _ in timeline if as_day(today) == variables["stop_order_plateau_day"]
    )
    full_day = next(today for today, certain, _ in timeline if certain >= 100)
    _, certain, at_most = next(entry for entry in timeline if entry[0] == plateau)
    highest = max(high for today, _, high in timeline if today < full_day)
    assert variables["wet_stop_order_certain_share"] == as_share(certain)
    assert variables["wet_stop_order_at_most_share"] == as_share(at_most)
    assert variables["wet_stop_order_at_most_before_national"] == as_share(highest)


# --------------------------------------------------------------------------------------
# Machines
# --------------------------------------------------------------------------------------


def test_top_destination_is_about_n_percent_of_the_tracked_machines(
    variables: dict[str, str], built_project: Path
) -> None:
    flows = {row["figure_id"]: row for row in rows(built_project, "press/machine_flows.csv")}
    tracked = flows["M03"]  # the FT breakdown's total: "over 430,000"
    # The breakdown's country counts: same report, one country, no company.
    counts = {
        entity["destination_country"]: int(flows[entity["figure_id"]]["value"])
        for entity in rows(built_project, "press/machine_flow_entities.csv")
        if entity["destination_country"]
        and not entity["company"]
        and flows[entity["figure_id"]]["date_reported"] == tracked["date_reported"]
        and flows[entity["figure_id"]]["unit"].startswith("machines")
    }
    top = max(counts, key=counts.__getitem__)
    share = counts[top] / int(tracked["value"]) * 100
    assert variables["top_destination"] == top
    assert variables["top_destination_machines"] == f"{counts[top]:,}"
    assert variables["tracked_machines"] == f"{int(tracked['value']):,}"
    assert variables["top_destination_share"] == whole_percent(share)


# --------------------------------------------------------------------------------------
# Coin Metrics: weekly recovery and difficulty
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def daily(built_project: Path) -> list[dict]:
    """Each day's price, hashrate (TH/s), mean difficulty and miner revenue (USD)."""
    out = []
    for row in rows(built_project, "coinmetrics/coinmetrics_btc_daily.csv"):
        hashrate = float(row["HashRate_THs"])
        price = float(row["PriceUSD"])
        out.append(
            {
                "date": day(row["date"]),
                "price": price,
                "hashrate": hashrate,
                # Mean difficulty of the day's blocks: hashes / (blocks x 2^32).
                "difficulty": hashrate * 1e12 * 86_400 / (int(row["BlkCnt"]) * 2**32),
                "revenue": float(row["IssTotUSD"]) + float(row["FeeTotNtv"]) * price,
            }
        )
    return sorted(out, key=lambda d: d["date"])


def weekly(daily: list[dict], series: str) -> dict[dt.date, float]:
    """Monday → the week's value, for complete ISO weeks (7 days) only."""
    weeks: dict[dt.date, list[dict]] = {}
    for entry in daily:
        monday = entry["date"] - dt.timedelta(days=entry["date"].weekday())
        weeks.setdefault(monday, []).append(entry)
    out = {}
    for monday, days in sorted(weeks.items()):
        if len(days) != 7:
            continue
        if series == "btc":
            out[monday] = days[-1]["price"]  # Sunday's close
        elif series == "hashprice":
            out[monday] = sum(d["revenue"] for d in days) / sum(d["hashrate"] for d in days)
        else:
            out[monday] = sum(d[series] for d in days) / 7
    return out


@pytest.mark.parametrize("series", ["hashprice", "hashrate", "difficulty", "btc"])
def test_weeks_back_to_the_base_week_level_count_from_the_base_week(
    variables: dict[str, str], analysis: dict, daily: list[dict], series: str
) -> None:
    values = weekly(daily, series)
    base_day = day(str(analysis["base_week"]))
    base = base_day - dt.timedelta(days=base_day.weekday())
    after = [(monday, value) for monday, value in values.items() if monday > base]
    first_below = next(monday for monday, value in after if value < values[base])
    back = next(monday for monday, value in after if monday > first_below and value >= values[base])
    trough_week, trough = min(
        ((monday, value) for monday, value in after if monday < back), key=lambda item: item[1]
    )
    assert variables["base_week"] == as_day(base)
    assert variables[f"{series}_recovered_by"] == as_day(back)
    assert variables[f"{series}_weeks_to_baseline"] == str((back - base).days // 7)
    assert variables[f"{series}_trough_week"] == as_day(trough_week)
    assert variables[f"{series}_trough_index"] == whole_percent(trough / values[base] * 100)


def test_largest_difficulty_drop(variables: dict[str, str], daily: list[dict]) -> None:
    # Within an epoch the daily mean is constant; across one adjustment, the day before
    # and the day after the adjustment day hold the old and the new difficulty.
    ratios = [
        (daily[i]["date"], daily[i + 1]["difficulty"] / daily[i - 1]["difficulty"])
        for i in range(1, len(daily) - 1)
    ]
    adjustment_day, ratio = min(ratios, key=lambda item: item[1])
    assert variables["difficulty_drop_day"] == as_day(adjustment_day)
    assert variables["difficulty_drop_pct"] == f"{(1 - ratio) * 100:.1f}{NBSP}%"
