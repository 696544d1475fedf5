"""Numbers quoted in the report's prose, computed from the cleaned tables.

Each function answers one question and returns the formatted strings the text
quotes, keyed by the variable name the `.qmd` uses. A word in the prose such as
"peak", "lowest" or "first" is computed as exactly that here: a peak is the
maximum of the series named, a trough its minimum, a first the earliest date.
Shares keep CCAF's two decimals; a share of counts that are themselves bounds
("at least", "more than") is rounded to a whole percent and read "about".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import yaml

from .formatting import day_text, month_text, number, percent, with_unit
from .vocabularies import CCAF_LAUNCH_LAST_MONTH, ORDINALS

# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def month_label(month: pd.Timestamp) -> str:
    """'April 2021'."""
    return month_text(month)


def day_label(day: pd.Timestamp) -> str:
    """'21 May 2021'."""
    return day_text(day)


def pct(value: float) -> str:
    """A share with CCAF's two decimals and a non-breaking space before '%'."""
    return percent(value)


def count(value: int) -> str:
    """A count of things, with thousands separators."""
    return number(int(value))


def thousands(value: float) -> str:
    """Machine counts with thousands separators: 205,000."""
    return number(int(value))


def to_yaml(variables: dict[str, Any]) -> str:
    """Quarto's _variables.yml: every value quoted as a string, keys sorted."""
    return yaml.safe_dump(
        {key: str(value) for key, value in variables.items()},
        sort_keys=True,
        allow_unicode=True,
        default_style='"',
    )


def merge(*parts: dict[str, str]) -> dict[str, str]:
    """Join variable sets; a name defined twice is a bug."""
    merged: dict[str, str] = {}
    for part in parts:
        clash = set(merged) & set(part)
        if clash:
            raise ValueError(f"variables defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


def share(hashrate_by_country: pd.DataFrame, country: str, month: pd.Timestamp) -> float:
    """One country's share of global hashrate in one month; an absent row is an error."""
    row = hashrate_by_country[
        (hashrate_by_country["country"] == country) & (hashrate_by_country["month"] == month)
    ]
    if len(row) != 1:
        raise KeyError(f"no single hashrate_by_country row for {country} in {month:%Y-%m}")
    return float(row["share_pct"].iloc[0])


def peak(series: pd.Series) -> tuple[pd.Timestamp, float]:
    """The maximum of a series indexed by date, and its first date if tied."""
    if series.empty:
        raise ValueError("no values to take a peak of")
    series = series.sort_index()  # idxmax takes the first row: make it the first date
    return series.idxmax(), float(series.max())


# --------------------------------------------------------------------------------------
# Where the hashrate was and went (CCAF)
# --------------------------------------------------------------------------------------


def hashrate_variables(hashrate_by_country: pd.DataFrame, baseline_month: str) -> dict[str, str]:
    """China's share at the start, at the baseline, at zero and at the end of CCAF's series."""
    table = hashrate_by_country
    first, last = table["month"].min(), table["month"].max()
    before = pd.Timestamp(baseline_month)
    china = table[table["country"] == "China"].set_index("month")["share_pct"].sort_index()
    zero = china[(china.index > before) & (china == 0)].index
    if zero.empty:
        raise ValueError("China's share never reaches zero after the baseline month")
    back = china[(china.index > zero.max()) & (china > 0)]
    if back.empty:
        raise ValueError("China's share does not reappear after its months at zero")
    # The leading country in the first month CCAF attributes nothing to China.
    at_zero = table[(table["month"] == zero.min()) & (table["country"] != "Other")]
    leader = at_zero.sort_values("share_pct", ascending=False).iloc[0]
    return {
        "ccaf_first_month": month_label(first),
        "ccaf_last_month": month_label(last),
        "ccaf_month_count": count(table["month"].nunique()),
        "ccaf_named_countries": count(table.loc[table["country"] != "Other", "country"].nunique()),
        "china_share_first": pct(china.loc[first]),
        "baseline_month": month_label(before),
        "china_share_baseline": pct(china.loc[before]),
        "china_zero_month": month_label(zero.min()),
        "china_zero_last_month": month_label(zero.max()),
        "china_zero_month_count": count(len(zero)),
        "china_share_return_month": month_label(back.index[0]),
        "china_share_return": pct(back.iloc[0]),
        "china_share_last": pct(china.loc[last]),
        "leader_at_china_zero": str(leader["country"]),
        "leader_share_at_china_zero": pct(float(leader["share_pct"])),
    }


def global_hashrate_variables(
    hashrate_by_country: pd.DataFrame, baseline_month: str
) -> dict[str, str]:
    """The fall of the total hashrate CCAF attributes to countries, baseline to lowest month."""
    totals = hashrate_by_country.groupby("month")["hashrate_ehs"].sum().sort_index()
    before = pd.Timestamp(baseline_month)
    after = totals[totals.index > before]
    low_month = after.idxmin()
    return {
        "global_ehs_baseline": number(totals[before], 2),
        "global_ehs_low_month": month_label(low_month),
        "global_ehs_low": number(totals[low_month], 2),
        "global_ehs_fall_pct": percent((1 - totals[low_month] / totals[before]) * 100, 1),
    }


def province_variables(hashrate_by_province: pd.DataFrame, baseline_month: str) -> dict[str, str]:
    """The seasonal swing between Sichuan and Xinjiang, and the provinces at the baseline."""
    table = hashrate_by_province.pivot(
        index="month", columns="province", values="share_of_china_pct"
    ).sort_index()
    active = table[table.sum(axis=1) > 0]
    wet, sichuan_peak = peak(active["Sichuan"])
    dry, xinjiang_peak = peak(active["Xinjiang"])
    before = pd.Timestamp(baseline_month)
    world = hashrate_by_province[hashrate_by_province["month"] == before].set_index("province")
    missing = [month for month, row in table.iterrows() if row.isna().any() and row.sum() > 0]
    return {
        "province_first_month": month_label(table.index.min()),
        "province_last_month": month_label(active.index.max()),
        "province_zero_month": month_label(table.index[table.sum(axis=1) == 0].min()),
        "sichuan_peak_month": month_label(wet),
        "sichuan_peak_share": pct(sichuan_peak),
        "xinjiang_at_sichuan_peak": pct(active.loc[wet, "Xinjiang"]),
        "xinjiang_peak_month": month_label(dry),
        "xinjiang_peak_share": pct(xinjiang_peak),
        "sichuan_at_xinjiang_peak": pct(active.loc[dry, "Sichuan"]),
        "xinjiang_share_baseline": pct(table.loc[before, "Xinjiang"]),
        "xinjiang_global_baseline": pct(world.loc["Xinjiang", "share_of_global_pct"]),
        "inner_mongolia_share_baseline": pct(table.loc[before, "Inner Mongolia"]),
        "province_gap_months": ", ".join(month_label(m) for m in missing) or "none",
    }


def launch_variables(
    hashrate_by_country: pd.DataFrame, hashrate_by_province: pd.DataFrame
) -> dict[str, str]:
    """China's, Xinjiang's and Inner Mongolia's shares of global hashrate in the last month
    of the Mining Map as CCAF launched it, the month the press still quoted in 2021."""
    month = CCAF_LAUNCH_LAST_MONTH
    provinces = hashrate_by_province[hashrate_by_province["month"] == month]
    world = provinces.set_index("province")["share_of_global_pct"]
    return {
        "launch_month": month_label(month),
        "launch_china_share": pct(share(hashrate_by_country, "China", month)),
        "launch_xinjiang_global": pct(world["Xinjiang"]),
        "launch_inner_mongolia_global": pct(world["Inner Mongolia"]),
    }


#: Countries whose migration the text follows, and the prefix of their variables.
MIGRATION_COUNTRIES = {
    "United States": "us",
    "Kazakhstan": "kz",
    "Russia": "ru",
    "Canada": "ca",
    "China": "cn",
}


def migration_variables(
    hashrate_migration: pd.DataFrame, hashrate_by_country: pd.DataFrame
) -> dict[str, str]:
    """Shares and EH/s at the three moments, the largest gainer, and the peaks of the series."""
    table = hashrate_migration.set_index(["country", "period"])
    months = hashrate_migration.groupby("period")["month"].first()
    out = {f"migration_{period}_month": month_label(month) for period, month in months.items()}
    for country, slug in MIGRATION_COUNTRIES.items():
        for period in ("before", "exodus", "latest"):
            row = table.loc[(country, period)]
            out[f"{slug}_share_{period}"] = pct(row["share_pct"])
            out[f"{slug}_ehs_{period}"] = number(row["hashrate_ehs"], 2)
        series = hashrate_by_country[hashrate_by_country["country"] == country]
        month, value = peak(series.set_index("month")["share_pct"].sort_index())
        out[f"{slug}_peak_month"] = month_label(month)
        out[f"{slug}_peak_share"] = pct(value)
    latest = hashrate_migration[
        (hashrate_migration["period"] == "latest") & (hashrate_migration["country"] != "Other")
    ]
    gainer = latest.sort_values("share_change_pts", ascending=False).iloc[0]
    out["largest_gainer"] = str(gainer["country"])
    out["largest_gainer_points"] = number(gainer["share_change_pts"], 2)
    out["largest_gainer_share_latest"] = pct(gainer["share_pct"])
    out["largest_gainer_share_before"] = pct(gainer["share_pct"] - gainer["share_change_pts"])
    return out


# --------------------------------------------------------------------------------------
# The crackdown's measures and the hashrate they reached
# --------------------------------------------------------------------------------------


def measure_days(shutdowns: pd.DataFrame) -> dict[str, str]:
    """The day each dated measure was announced: ``day_e08`` is event E08's."""
    dated = shutdowns.dropna(subset=["date_announced"])
    return {
        f"day_{event.lower()}": day_label(day)
        for event, day in zip(dated["event_id"], dated["date_announced"], strict=True)
    }


def shutdown_variables(shutdowns: pd.DataFrame) -> dict[str, str]:
    """How many measures, where, when, and how many reached less than a province."""
    dated = shutdowns.dropna(subset=["date_announced"])
    national = shutdowns["jurisdiction"] == "national"
    narrow = ~shutdowns["scope"].isin(["national", "province"])
    unknown = shutdowns["exposure_share_of_china_pct"].isna() & shutdowns["date_announced"].notna()
    xinjiang = shutdowns[shutdowns["jurisdiction"] == "Xinjiang"].iloc[0]
    return {
        "measure_count": count(len(shutdowns)),
        "measure_dated_count": count(len(dated)),
        "measure_undated_count": count(len(shutdowns) - len(dated)),
        "measure_national_count": count(national.sum()),
        "measure_province_count": count(shutdowns.loc[~national, "jurisdiction"].nunique()),
        "measure_first_day": day_label(dated["date_announced"].min()),
        "measure_last_day": day_label(dated["date_announced"].max()),
        "measure_narrow_count": count(narrow.sum()),
        "measure_draft_count": count((shutdowns["stage"] == "draft").sum()),
        "measure_unknown_exposure_count": count(unknown.sum()),
        "xinjiang_order_exposure_china": pct(xinjiang["exposure_share_of_china_pct"]),
        "xinjiang_order_exposure_global": pct(xinjiang["exposure_share_of_global_pct"]),
    }


def exposure_variables(shutdown_exposure: pd.DataFrame) -> dict[str, str]:
    """The two bounds of the share of China under a stop order, before and at the national ban.

    The plateau day is the first day on which the certain share reaches its highest
    value before the first day it is 100 (a national order); both bounds are read
    on that day.
    """
    table = shutdown_exposure.sort_values("date").set_index("date")
    certain, at_most = table["certain_share_of_china_pct"], table["at_most_share_of_china_pct"]
    full = certain[certain >= 100]
    if full.empty:
        raise ValueError("no national stop order in the exposure year")
    before = certain[certain.index < full.index[0]]
    plateau = before[before == before.max()].index[0]
    return {
        "stop_order_plateau_day": day_label(plateau),
        "stop_order_certain_share": pct(certain[plateau]),
        "stop_order_at_most_share": pct(at_most[plateau]),
        "stop_order_at_most_before_national": pct(at_most[before.index].max()),
        "stop_order_full_day": day_label(full.index[0]),
    }


# --------------------------------------------------------------------------------------
# Prices, difficulty and machine prices (Coin Metrics, dealer listings)
# --------------------------------------------------------------------------------------

#: Weekly price series → the prefix of their variables.
TREND_SLUGS = {
    "btc_close_usd": "btc",
    "hashrate_ehs_7d": "hashrate",
    "difficulty": "difficulty",
    "hashprice_usd_per_th_day": "hashprice",
}

#: Weekly price series as the text names them.
TREND_NAMES = {
    "btc_close_usd": "the price of bitcoin",
    "hashrate_ehs_7d": "the network's hashrate",
    "difficulty": "the mining difficulty",
    "hashprice_usd_per_th_day": "hashprice",
}


def recovery_variables(price_recovery: pd.DataFrame, price_trends: pd.DataFrame) -> dict[str, str]:
    """Per weekly series: its trough as a percent of the base week, and when it was back.

    Recovery is counted from the base week (not from the trough): ``weeks`` is the
    number of weeks from the base week to the first later week at or above the
    base-week value, after the series first fell below it.
    """
    recovery = price_recovery.set_index("series")
    base_week = recovery["base_week_start"].iloc[0]
    base = price_trends["week_start"] == base_week
    out: dict[str, str] = {
        "base_week": day_label(base_week),
        "index_base": number(price_trends.loc[base, "btc_close_index"].iloc[0]),
    }
    for series, slug in TREND_SLUGS.items():
        row = recovery.loc[series]
        if pd.notna(row["trough_value"]):
            out[f"{slug}_trough_index"] = percent(row["trough_value"] / row["base_value"] * 100, 0)
            out[f"{slug}_trough_week"] = day_label(row["trough_week_start"])
        recovered = str(row["recovered_by"])
        out[f"{slug}_recovered_by"] = (
            "not by " + day_label(pd.Timestamp(recovered.removeprefix("not by ")))
            if recovered.startswith("not by")
            else day_label(pd.Timestamp(recovered))
        )
        weeks = row["weeks_to_baseline"]
        out[f"{slug}_weeks_to_baseline"] = "none" if pd.isna(weeks) else count(weeks)
        out[f"{slug}_pre_ban_peak_index"] = percent(
            row["pre_ban_peak"] / row["base_value"] * 100, 0
        )
        out[f"{slug}_pre_ban_peak_week"] = day_label(row["pre_ban_peak_week_start"])
    # The series back at its base-week level earliest (after falling below it).
    fell = recovery[recovery["trough_value"].notna() & recovery["weeks_to_baseline"].notna()]
    if not fell.empty:
        first = str(fell["weeks_to_baseline"].astype(int).idxmin())
        out["first_recovered"] = TREND_NAMES[first]
        out["first_recovered_weeks"] = count(fell.loc[first, "weeks_to_baseline"])
    return out


def difficulty_variables(difficulty_adjustments: pd.DataFrame) -> dict[str, str]:
    """The largest downward difficulty adjustment: its day and size."""
    drop = difficulty_adjustments.sort_values("change_pct").iloc[0]
    # The adjustment block was mined on the mixed day, when there is one.
    day = drop["mixed_day"] if pd.notna(drop.get("mixed_day")) else drop["date"]
    return {
        "difficulty_drop_day": day_label(day),
        "difficulty_drop_pct": percent(abs(drop["change_pct"]), 1),
        "difficulty_adjustment_count": count(len(difficulty_adjustments)),
    }


def asking_price_variables(asic_prices: pd.DataFrame) -> dict[str, str]:
    """Dealer asking prices of the most efficient machines: first and last month, and the gap."""
    per_month = asic_prices.groupby("month")["listings"].sum()
    empty = per_month[per_month == 0].index
    efficient = asic_prices[
        (asic_prices["efficiency_class"] == "under 38 J/TH")
        & asic_prices["median_usd_per_th"].notna()
    ].sort_values("month")
    first, last = efficient.iloc[0], efficient.iloc[-1]
    return {
        "asic_gap_first": month_label(empty.min()),
        "asic_gap_last": month_label(empty.max()),
        "asic_first_month": month_label(first["month"]),
        "asic_first_efficient_median": with_unit(first["median_usd_per_th"], "USD per TH/s", 2),
        "asic_last_month": month_label(last["month"]),
        "asic_last_efficient_median": with_unit(last["median_usd_per_th"], "USD per TH/s", 2),
        "asic_listing_count": count(asic_prices["listings"].sum()),
    }


# --------------------------------------------------------------------------------------
# Machines (press figures)
# --------------------------------------------------------------------------------------

#: The figures the machine section quotes by name: the FT's headline count of
#: machines moved, and its total of machines tracked to a destination.
FT_HEADLINE_FIGURE = "M01"
FT_TRACKED_FIGURE = "M03"


def machine_variables(
    machine_exports: pd.DataFrame,
    machine_exports_by_destination: pd.DataFrame,
    source_conflicts: pd.DataFrame,
) -> dict[str, str]:
    """The FT's totals, the top destinations and the size of the conflict ledger.

    A destination's share divides an "at least" count by an "over" total, so it is
    quoted as a whole percent, to be read "about".
    """
    figures = machine_exports.set_index("figure_id")["machines"]
    ranked = machine_exports_by_destination.dropna(subset=["machines"]).sort_values("rank")
    out = {
        "ft_machines_moved": thousands(figures[FT_HEADLINE_FIGURE]),
        "tracked_machines": thousands(figures[FT_TRACKED_FIGURE]),
        "conflict_count": count(len(source_conflicts)),
    }
    for position, slug in enumerate(("top", "second", "third")):
        row = ranked.iloc[position]
        out[f"{slug}_destination"] = str(row["destination_country"])
        out[f"{slug}_destination_machines"] = thousands(row["machines"])
        # From the counts: share_of_tracked_pct is already rounded to 2 decimals, and
        # rounding it again can go one percent too high (13.496 -> 13.50 -> 14).
        tracked_share = row["machines"] / figures[FT_TRACKED_FIGURE] * 100
        out[f"{slug}_destination_share"] = percent(float(tracked_share), 0)
    # Destinations named without a count: alone at their rank, or sharing one (unordered).
    uncounted = machine_exports_by_destination[machine_exports_by_destination["machines"].isna()]
    sizes = uncounted.groupby("rank")["destination_country"].transform("size")
    alone = uncounted[sizes == 1].sort_values("rank")
    shared = uncounted[sizes > 1].sort_values("destination_country")
    if not alone.empty:
        out["ranked_uncounted"] = str(alone["destination_country"].iloc[0])
        out["ranked_uncounted_rank"] = ORDINALS[int(alone["rank"].iloc[0])]
    out["unordered_destinations"] = " and ".join(shared["destination_country"])
    return out


#: Press figures the text quotes one by one: variable → (figure id, unit, decimals).
#: The unit is written after the number; "" for a bare count; None for the row's own
#: unit text ("8 of the 10 largest").
PRESS_FIGURES: dict[str, tuple[str, str | None, int]] = {
    "machines_idle_in_storage": ("M16", "", 0),
    "machines_stuck_in_sichuan": ("M62", "", 0),
    "mega_farms_expanded": ("M17", None, 0),
    "marathon_bitmain_machines": ("M28", "", 0),
    "bitriver_machines": ("M05", "", 0),
    "bitcluster_machines": ("M07", "", 0),
    "bitfufu_kazakhstan_machines": ("M10", "", 0),
    "bit_mining_kazakhstan_machines": ("M11", "", 0),
    "s19_price_fall": ("M30", "%", 1),
    "top_tier_price_fall": ("M31", "%", 0),
    "secondhand_cny_april": ("M33", "CNY per TH/s", 0),
    "secondhand_cny_june": ("M32", "CNY per TH/s", 0),
    "luxor_summer_high": ("M36", "USD per TH/s", 2),
    "luxor_summer_low": ("M37", "USD per TH/s", 2),
    "luxor_q3_close": ("M38", "USD per TH/s", 2),
    "kazakh_facility_rigs": ("M54", "", 0),
}

#: Press figures that are lists of names: variable → figure id ("a; b; c" in the row).
PRESS_LISTS: dict[str, str] = {"bitmain_countries": "M42"}

#: Press figures whose date of report the text quotes: variable → figure id.
PRESS_DATES: dict[str, str] = {
    "bitmain_suspension_day": "M41",
    "ft_survey_day": "M01",
    "kazakh_shutdown_report_day": "M54",
}


def press_figure_variables(machine_flows: pd.DataFrame) -> dict[str, str]:
    """Single press figures as quoted: the number in its unit, or the day it was reported."""
    rows = machine_flows.set_index("figure_id")
    out = {}
    for name, (figure, unit, decimals) in PRESS_FIGURES.items():
        value = float(rows.loc[figure, "value"])
        if unit is None:
            unit = str(rows.loc[figure, "unit"])
        out[name] = (
            percent(value, decimals)
            if unit == "%"
            else with_unit(value, unit, decimals)
            if unit
            else number(value, decimals)
        )
    for name, figure in PRESS_LISTS.items():
        names = [part.strip() for part in str(rows.loc[figure, "value"]).split(";")]
        names = [f"the {n}" if n == "United States" else n for n in names]
        out[name] = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    for name, figure in PRESS_DATES.items():
        out[name] = day_label(pd.Timestamp(rows.loc[figure, "date_reported"]))
    return out


# --------------------------------------------------------------------------------------
# Data and methods
# --------------------------------------------------------------------------------------


def licence_label(licence_id: str) -> str:
    """An SPDX Creative Commons id as Creative Commons write it: 'CC BY-NC 4.0'."""
    parts = licence_id.split("-")
    if parts[0] != "CC" or len(parts) < 3:
        return licence_id
    return f"CC {'-'.join(parts[1:-1])} {parts[-1]}"


def data_variables(
    validations: list[dict[str, object]], sidecars: Mapping[str, Mapping[str, object]]
) -> dict[str, str]:
    """What the validation checked, and the licence the text names."""
    by_author = {str(meta.get("author")): meta for meta in sidecars.values()}
    return {
        "raw_table_count": count(len(validations)),
        "validation_rows": thousands(sum(int(v["rows"]) for v in validations)),
        "validation_checks": thousands(sum(int(v["checks"]) for v in validations)),
        "coinmetrics_licence": licence_label(str(by_author["Coin Metrics"]["licence_id"])),
    }


def report_variables(
    tables: dict[str, pd.DataFrame],
    validations: list[dict[str, object]],
    sidecars: dict[str, dict[str, object]],
    analysis: dict[str, object],
) -> dict[str, str]:
    """Every number the report quotes, from the cleaned tables and validation records."""
    baseline = str(analysis["baseline_month"])
    countries = tables["hashrate_by_country"]
    return merge(
        hashrate_variables(countries, baseline),
        global_hashrate_variables(countries, baseline),
        province_variables(tables["hashrate_by_province"], baseline),
        migration_variables(tables["hashrate_migration"], countries),
        launch_variables(countries, tables["hashrate_by_province"]),
        measure_days(tables["shutdowns"]),
        shutdown_variables(tables["shutdowns"]),
        exposure_variables(tables["shutdown_exposure"]),
        recovery_variables(tables["price_recovery"], tables["price_trends"]),
        difficulty_variables(tables["difficulty_adjustments"]),
        asking_price_variables(tables["asic_prices"]),
        machine_variables(
            tables["machine_exports"],
            tables["machine_exports_by_destination"],
            tables["source_conflicts"],
        ),
        press_figure_variables(tables["machine_flows"]),
        data_variables(validations, sidecars),
    )
