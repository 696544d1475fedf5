"""Numbers quoted in the report's prose, computed from the cleaned tables."""

from __future__ import annotations

from typing import Any

import pandas as pd
import yaml


def month_label(month: pd.Timestamp) -> str:
    """'April 2021'."""
    return month.strftime("%B %Y")


def pct(value: float) -> str:
    """Shares are quoted with the two decimals CCAF publishes."""
    return f"{value:.2f}"


def share(hashrate_by_country: pd.DataFrame, country: str, month: pd.Timestamp) -> float:
    """One country's share of global hashrate in one month; an absent row is an error."""
    row = hashrate_by_country[
        (hashrate_by_country["country"] == country) & (hashrate_by_country["month"] == month)
    ]
    if len(row) != 1:
        raise KeyError(f"no single hashrate_by_country row for {country} in {month:%Y-%m}")
    return float(row["share_pct"].iloc[0])


def hashrate_variables(
    hashrate_by_country: pd.DataFrame, pre_crackdown_month: str
) -> dict[str, str]:
    """Headline numbers on where the hashrate was and went."""
    table = hashrate_by_country
    first, last = table["month"].min(), table["month"].max()
    before = pd.Timestamp(pre_crackdown_month)
    china = table[table["country"] == "China"].set_index("month")["share_pct"]
    zero_months = china[(china.index > before) & (china == 0)].index
    if zero_months.empty:
        raise ValueError("China's share never reaches zero after the pre-crackdown month")
    china_zero = zero_months.min()
    # The leading destination in the first month China reports no hashrate.
    at_zero = table[table["month"] == china_zero].sort_values("share_pct", ascending=False)
    leader = at_zero[at_zero["country"] != "Other"].iloc[0]
    named = table.loc[table["country"] != "Other", "country"].nunique()
    return {
        "ccaf_first_month": month_label(first),
        "ccaf_last_month": month_label(last),
        "ccaf_month_count": str(table["month"].nunique()),
        "ccaf_named_countries": str(named),
        "china_share_first": pct(china.loc[first]),
        "pre_crackdown_month": month_label(before),
        "china_share_pre_crackdown": pct(china.loc[before]),
        "china_zero_month": month_label(china_zero),
        "leader_at_china_zero": str(leader["country"]),
        "leader_share_at_china_zero": pct(float(leader["share_pct"])),
        "china_share_last": pct(china.loc[last]),
    }


def to_yaml(variables: dict[str, Any]) -> str:
    """Quarto's _variables.yml: every value quoted as a string, keys sorted."""
    return yaml.safe_dump(
        {key: str(value) for key, value in variables.items()},
        sort_keys=True,
        allow_unicode=True,
        default_style='"',
    )


def day_label(day: pd.Timestamp) -> str:
    """'21 May 2021'."""
    return f"{day.day} {day:%B %Y}"


def count(value: int) -> str:
    return str(int(value))


def global_hashrate_variables(
    hashrate_by_country: pd.DataFrame, pre_crackdown_month: str
) -> dict[str, str]:
    """The fall and rebound of total hashrate CCAF attributes to countries."""
    totals = hashrate_by_country.groupby("month")["hashrate_ehs"].sum()
    china = hashrate_by_country[hashrate_by_country["country"] == "China"]
    after = totals.index[totals.index > pd.Timestamp(pre_crackdown_month)]
    peak_month = after[0]  # the first crackdown month, before the exodus shows
    low_month = totals[after].idxmin()
    rebound_month = totals.index[totals.index > low_month][0]
    zero = china.loc[china["share_pct"] == 0, "month"]
    back = china[china["month"] > zero.max()].sort_values("month").iloc[0]
    return {
        "global_ehs_crackdown_start_month": month_label(peak_month),
        "global_ehs_crackdown_start": f"{totals[peak_month]:.2f}",
        "global_ehs_low_month": month_label(low_month),
        "global_ehs_low": f"{totals[low_month]:.2f}",
        "global_ehs_fall_pct": f"{(1 - totals[low_month] / totals[peak_month]) * 100:.1f}",
        "global_ehs_rebound_month": month_label(rebound_month),
        "global_ehs_rebound_pct": f"{(totals[rebound_month] / totals[low_month] - 1) * 100:.1f}",
        "china_zero_month_count": count(len(zero)),
        "china_zero_last_month": month_label(zero.max()),
        "china_share_return_month": month_label(back["month"]),
        "china_share_return": pct(float(back["share_pct"])),
    }


def province_variables(
    hashrate_by_province: pd.DataFrame, pre_crackdown_month: str
) -> dict[str, str]:
    """The seasonal swing between Sichuan and Xinjiang, and the provinces before the ban."""
    table = hashrate_by_province.pivot(
        index="month", columns="province", values="share_of_china_pct"
    )
    active = table[table.sum(axis=1) > 0]
    wet = active["Sichuan"].idxmax()
    dry = active["Xinjiang"].idxmax()
    before = pd.Timestamp(pre_crackdown_month)
    global_before = hashrate_by_province[hashrate_by_province["month"] == before].set_index(
        "province"
    )["share_of_global_pct"]
    missing = [month for month, row in table.iterrows() if row.isna().any() and row.sum() > 0]
    return {
        "province_first_month": month_label(table.index.min()),
        "province_last_month": month_label(active.index.max()),
        "province_zero_month": month_label(table.index[table.sum(axis=1) == 0].min()),
        "sichuan_peak_month": month_label(wet),
        "sichuan_peak_share": pct(active.loc[wet, "Sichuan"]),
        "xinjiang_at_sichuan_peak": pct(active.loc[wet, "Xinjiang"]),
        "xinjiang_peak_month": month_label(dry),
        "xinjiang_peak_share": pct(active.loc[dry, "Xinjiang"]),
        "sichuan_at_xinjiang_peak": pct(active.loc[dry, "Sichuan"]),
        "xinjiang_share_pre_crackdown": pct(table.loc[before, "Xinjiang"]),
        "xinjiang_global_pre_crackdown": pct(global_before["Xinjiang"]),
        "sichuan_share_pre_crackdown": pct(table.loc[before, "Sichuan"]),
        "sichuan_global_pre_crackdown": pct(global_before["Sichuan"]),
        "province_gap_months": ", ".join(month_label(m) for m in missing) or "none",
    }


def migration_variables(hashrate_migration: pd.DataFrame) -> dict[str, str]:
    """Headline moves between the three moments of the migration."""
    table = hashrate_migration.set_index(["country", "period"])
    months = hashrate_migration.groupby("period")["month"].first()
    out = {f"migration_{period}_month": month_label(month) for period, month in months.items()}
    for country, slug in (("United States", "us"), ("Kazakhstan", "kz"), ("Russia", "ru"),
                          ("Canada", "ca"), ("China", "cn")):  # fmt: skip
        for period in ("before", "exodus", "latest"):
            row = table.loc[(country, period)]
            out[f"{slug}_share_{period}"] = pct(row["share_pct"])
            out[f"{slug}_ehs_{period}"] = f"{row['hashrate_ehs']:.2f}"
        out[f"{slug}_ehs_change_latest"] = (
            f"{table.loc[(country, 'latest'), 'hashrate_change_ehs']:+.2f}"
        )
    return out


def shutdown_variables(shutdowns: pd.DataFrame, shutdown_exposure: pd.DataFrame) -> dict[str, str]:
    """How many measures, where, and how much hashrate the stop orders reached."""
    dated = shutdowns.dropna(subset=["date_announced"])
    provinces = shutdowns.loc[shutdowns["jurisdiction"] != "national", "jurisdiction"]
    exposure = shutdown_exposure.set_index("date")["share_of_china_under_order_pct"]
    full = exposure[exposure >= 100].index.min()
    before_full = exposure[exposure.index < full]
    plateau_day = before_full[before_full == before_full.max()].index.min()
    xinjiang = dated[(dated["jurisdiction"] == "Xinjiang") & (dated["measure"] == "shutdown_order")]
    xinjiang = xinjiang.sort_values("date_announced").iloc[0]
    national_ban = dated[(dated["jurisdiction"] == "national") & (dated["measure"] == "ban")]
    national_ban = national_ban.sort_values("date_announced").iloc[0]
    statement = dated[dated["measure"] == "policy_statement"].sort_values("date_announced").iloc[0]
    unknown = shutdowns["exposure_share_of_china_pct"].isna() & shutdowns["date_announced"].notna()
    return {
        "measure_count": count(len(shutdowns)),
        "measure_dated_count": count(len(dated)),
        "measure_undated_count": count(len(shutdowns) - len(dated)),
        "measure_national_count": count((shutdowns["jurisdiction"] == "national").sum()),
        "measure_province_count": count(provinces.nunique()),
        "measure_first_day": day_label(dated["date_announced"].min()),
        "measure_last_day": day_label(dated["date_announced"].max()),
        "measure_unknown_exposure_count": count(unknown.sum()),
        "statement_day": day_label(statement["date_announced"]),
        "xinjiang_order_day": day_label(xinjiang["date_announced"]),
        "xinjiang_order_exposure_china": pct(xinjiang["exposure_share_of_china_pct"]),
        "xinjiang_order_exposure_global": pct(xinjiang["exposure_share_of_global_pct"]),
        "xinjiang_order_exposure_month": month_label(xinjiang["exposure_month"]),
        "national_ban_day": day_label(national_ban["date_announced"]),
        "stop_order_plateau_day": day_label(plateau_day),
        "stop_order_plateau_share": pct(before_full.max()),
        "stop_order_full_day": day_label(full),
    }


def report_variables(
    tables: dict[str, pd.DataFrame],
    validations: list[dict[str, object]],
    sidecars: dict[str, dict[str, object]],
    analysis: dict[str, object],
) -> dict[str, str]:
    """Every number the report quotes, from the cleaned tables and validation records."""
    before = str(analysis["pre_crackdown_month"])
    exposure = tables["shutdown_exposure"]
    return merge(
        hashrate_variables(tables["hashrate_by_country"], before),
        global_hashrate_variables(tables["hashrate_by_country"], before),
        province_variables(tables["hashrate_by_province"], before),
        migration_variables(tables["hashrate_migration"]),
        shutdown_variables(tables["shutdowns"], exposure),
        {"stop_order_full_day_share": pct(exposure["share_of_china_under_order_pct"].max())},
        price_variables(
            tables["price_recovery"],
            tables["difficulty_adjustments"],
            tables["asic_prices"],
            tables["price_trends"],
        ),
        machine_variables(
            tables["machine_exports"],
            tables["machine_exports_by_destination"],
            tables["source_conflicts"],
        ),
        data_variables(validations, sidecars),
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


#: Weekly price series → the prefix of their variables.
TREND_SLUGS = {
    "btc_close_usd": "btc",
    "hashrate_ehs_7d": "hashrate",
    "difficulty": "difficulty",
    "hashprice_usd_per_th_day": "hashprice",
}


def _week_label(week: pd.Timestamp) -> str:
    return day_label(pd.Timestamp(week))


def price_variables(
    price_recovery: pd.DataFrame,
    difficulty_adjustments: pd.DataFrame,
    asic_prices: pd.DataFrame,
    price_trends: pd.DataFrame | None = None,
) -> dict[str, str]:
    """Falls and recoveries of the weekly series, the difficulty drop, machine prices."""
    recovery = price_recovery.set_index("series")
    out: dict[str, str] = {
        "base_week": _week_label(recovery["base_week_start"].iloc[0]),
    }
    if price_trends is not None:
        # The value every index takes in the base week, as the table has it.
        base = price_trends["week_start"] == recovery["base_week_start"].iloc[0]
        out["index_base"] = f"{price_trends.loc[base, 'btc_close_index'].iloc[0]:.0f}"
    for series, slug in TREND_SLUGS.items():
        row = recovery.loc[series]
        if pd.notna(row["trough_value"]):
            out[f"{slug}_trough_index"] = f"{row['trough_value'] / row['base_value'] * 100:.0f}"
            out[f"{slug}_trough_week"] = _week_label(row["trough_week_start"])
        recovered = str(row["recovered_by"])
        out[f"{slug}_recovered_by"] = (
            recovered if recovered.startswith("not by") else _week_label(pd.Timestamp(recovered))
        )
        weeks = row["weeks_to_baseline"]
        out[f"{slug}_weeks_to_baseline"] = "none" if pd.isna(weeks) else count(weeks)
    drop = difficulty_adjustments.sort_values("change_pct").iloc[0]
    # The adjustment block was mined on the mixed day, when there is one.
    out["difficulty_drop_day"] = day_label(
        drop["mixed_day"] if pd.notna(drop.get("mixed_day")) else drop["date"]
    )
    out["difficulty_drop_pct"] = f"{abs(drop['change_pct']):.1f}"
    out["difficulty_adjustment_count"] = count(len(difficulty_adjustments))

    classes = asic_prices[asic_prices["efficiency_class"] != "unclassified"]
    per_month = asic_prices.groupby("month")["listings"].sum()
    empty = per_month[per_month == 0].index
    efficient = classes[
        (classes["efficiency_class"] == "under 38 J/TH") & classes["median_usd_per_th"].notna()
    ].sort_values("month")
    out.update(
        {
            "asic_gap_first": month_label(empty.min()),
            "asic_gap_last": month_label(empty.max()),
            "asic_first_month": month_label(efficient["month"].iloc[0]),
            "asic_first_efficient_median": f"{efficient['median_usd_per_th'].iloc[0]:.2f}",
            "asic_last_month": month_label(efficient["month"].iloc[-1]),
            "asic_last_efficient_median": f"{efficient['median_usd_per_th'].iloc[-1]:.2f}",
            "asic_listing_count": count(asic_prices["listings"].sum()),
            "asic_unclassified_count": count(
                asic_prices.loc[asic_prices["efficiency_class"] == "unclassified", "listings"].sum()
            ),
        }
    )
    return out


#: The figures the machine section quotes by name: the FT's headline count of
#: machines moved, and its total of machines tracked to a destination.
FT_HEADLINE_FIGURE = "M01"
FT_TRACKED_FIGURE = "M03"


def thousands(value: float) -> str:
    """Machine counts with thousands separators: 205,000."""
    return f"{int(value):,}"


def machine_variables(
    machine_exports: pd.DataFrame,
    machine_exports_by_destination: pd.DataFrame,
    source_conflicts: pd.DataFrame,
) -> dict[str, str]:
    """The FT's totals, the top destinations and the size of the conflict ledger."""
    figures = machine_exports.set_index("figure_id")["machines"]
    ranked = machine_exports_by_destination.dropna(subset=["machines"]).sort_values("rank")
    out = {
        "ft_machines_moved": thousands(figures[FT_HEADLINE_FIGURE]),
        "tracked_machines": thousands(figures[FT_TRACKED_FIGURE]),
        "conflict_count": count(len(source_conflicts)),
        "conflict_used_b_count": count((source_conflicts["used"] == "b").sum()),
    }
    for position, slug in enumerate(("top", "second", "third")):
        row = ranked.iloc[position]
        out[f"{slug}_destination"] = str(row["destination_country"])
        out[f"{slug}_destination_machines"] = thousands(row["machines"])
        out[f"{slug}_destination_share"] = pct(row["share_of_tracked_pct"])
    return out


def data_variables(
    validations: list[dict[str, object]], sidecars: dict[str, dict[str, object]]
) -> dict[str, str]:
    """What the validation checked, and the licences the text names."""
    by_author = {str(meta.get("author")): meta for meta in sidecars.values()}
    return {
        "raw_table_count": count(len(validations)),
        "validation_rows": thousands(sum(int(v["rows"]) for v in validations)),
        "validation_checks": count(sum(int(v["checks"]) for v in validations)),
        "coinmetrics_licence": str(by_author["Coin Metrics"]["licence_id"]).replace("-", " ", 2),
    }
