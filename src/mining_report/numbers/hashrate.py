"""Where the hashrate was: China's share and its provinces (CCAF), and the month the
Mining Map was launched; the group joins the migration between countries to them."""

from __future__ import annotations

import pandas as pd

from mining_report.formatting import month_text, number, percent
from mining_report.numbers.common import (
    COUNT,
    COUNTRY,
    MONTH,
    PROVINCE,
    SHARE,
    TEXT,
    _is,
    _on,
    merge,
    peak,
    share,
)
from mining_report.numbers.lineage import Format, Selection, pick, quote
from mining_report.numbers.migration import migration_numbers, shift_numbers
from mining_report.vocabularies import CCAF_LAUNCH_LAST_MONTH


def hashrate_numbers(hashrate_by_country: pd.DataFrame, baseline_month: str) -> dict[str, str]:
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
    cn = _is("country", "China")
    every = "every country and month of CCAF's series"
    at_zero_rows = [cn, ("month", ">", before), ("share_pct", "==", 0)]
    return_rows = [cn, ("month", ">", zero.max()), ("share_pct", ">", 0)]
    leaders = [_on(zero.min()), ("country", "!=", "Other")]
    named = "the countries CCAF names, not Other"
    return {
        "ccaf_first_month": quote(
            month_text(first), "the first month of CCAF's country series",
            pick(COUNTRY, "month", op="min"), fmt=MONTH, filter=every,
        ),
        "ccaf_last_month": quote(
            month_text(last), "the last month of CCAF's country series",
            pick(COUNTRY, "month", op="max"), fmt=MONTH, filter=every,
        ),
        "ccaf_month_count": quote(
            number(table["month"].nunique()), "the number of months in CCAF's country series",
            pick(COUNTRY, "month", op="nunique"), fmt=COUNT, filter=every,
        ),
        "ccaf_named_countries": quote(
            number(table.loc[table["country"] != "Other", "country"].nunique()),
            "the number of countries CCAF names (all but Other)",
            pick(COUNTRY, "country", op="nunique", where=[("country", "!=", "Other")]),
            fmt=COUNT, filter=named + ", every month",
        ),
        "china_share_first": quote(
            percent(china.loc[first]), f"China's share of global hashrate in {month_text(first)}",
            pick(COUNTRY, "share_pct", where=[cn, _on(first)]), fmt=SHARE,
        ),
        "baseline_month": quote(
            month_text(before),
            "the baseline month, the last full month before the first measure (set in the "
            "project's configuration)",
            pick(COUNTRY, "month", where=[cn, _on(before)]), fmt=MONTH,
        ),
        "china_share_baseline": quote(
            percent(china.loc[before]), f"China's share of global hashrate in {month_text(before)}",
            pick(COUNTRY, "share_pct", where=[cn, _on(before)]), fmt=SHARE,
        ),
        "china_zero_month": quote(
            month_text(zero.min()), "the first month after the baseline with China at 0\u00a0%",
            pick(COUNTRY, "month", op="min", where=at_zero_rows), fmt=MONTH,
        ),
        "china_zero_last_month": quote(
            month_text(zero.max()), "the last month after the baseline with China at 0\u00a0%",
            pick(COUNTRY, "month", op="max", where=at_zero_rows), fmt=MONTH,
        ),
        "china_zero_month_count": quote(
            number(len(zero)), "the number of months after the baseline with China at 0\u00a0%",
            pick(COUNTRY, "month", op="count", where=at_zero_rows), fmt=COUNT,
        ),
        "china_share_return_month": quote(
            month_text(back.index[0]), "the first month China's share is above 0\u00a0% again",
            pick(COUNTRY, "month", op="first", where=return_rows), fmt=MONTH,
            filter="China, months after its last month at 0\u00a0% with a share above 0\u00a0%",
        ),
        "china_share_return": quote(
            percent(back.iloc[0]), "China's share in the first month it is above 0\u00a0% again",
            pick(COUNTRY, "share_pct", op="first", where=return_rows), fmt=SHARE,
            filter="China, months after its last month at 0\u00a0% with a share above 0\u00a0%",
        ),
        "china_share_last": quote(
            percent(china.loc[last]), f"China's share of global hashrate in {month_text(last)}",
            pick(COUNTRY, "share_pct", where=[cn, _on(last)]), fmt=SHARE,
        ),
        "leader_at_china_zero": quote(
            str(leader["country"]),
            f"the country with the largest share in {month_text(zero.min())}",
            pick(COUNTRY, "country", op="argmax", by="share_pct", where=leaders), fmt=TEXT,
        ),
        "leader_share_at_china_zero": quote(
            percent(float(leader["share_pct"])),
            f"the largest share of a named country in {month_text(zero.min())}",
            pick(COUNTRY, "share_pct", op="max", where=leaders), fmt=SHARE,
        ),
    }  # fmt: skip


def global_hashrate_numbers(
    hashrate_by_country: pd.DataFrame, baseline_month: str
) -> dict[str, str]:
    """The fall of the total hashrate CCAF attributes to countries, baseline to lowest month."""
    totals = hashrate_by_country.groupby("month")["hashrate_ehs"].sum().sort_index()
    before = pd.Timestamp(baseline_month)
    after = totals[totals.index > before]
    low_month = after.idxmin()
    base_sum = pick(COUNTRY, "hashrate_ehs", op="sum", where=[_on(before)])
    low_sum = pick(COUNTRY, "hashrate_ehs", op="sum", where=[_on(low_month)])
    ehs = Format(kind="number", decimals=2)
    return {
        "global_ehs_baseline": quote(
            number(totals[before], 2),
            f"the sum of every country's hashrate (EH/s) in {month_text(before)}",
            base_sum, fmt=ehs,
        ),
        "global_ehs_low_month": quote(
            month_text(low_month),
            "the month after the baseline with the lowest sum of the countries' hashrate",
            pick(COUNTRY, "month", op="argmin", by="hashrate_ehs", group_by=["month"],
                 where=[("month", ">", before)]),
            fmt=MONTH, filter=f"every country, the months after {month_text(before)}",
        ),
        "global_ehs_low": quote(
            number(totals[low_month], 2),
            f"the sum of every country's hashrate (EH/s) in {month_text(low_month)}",
            low_sum, fmt=ehs,
        ),
        "global_ehs_fall_pct": quote(
            percent((1 - totals[low_month] / totals[before]) * 100, 1),
            f"the fall of the countries' summed hashrate from {month_text(before)} to "
            f"{month_text(low_month)}: 1 - {month_text(low_month)} / {month_text(before)}",
            low_sum, base_sum, combine="fall", fmt=Format(kind="percent", decimals=1),
        ),
    }  # fmt: skip


def province_numbers(hashrate_by_province: pd.DataFrame, baseline_month: str) -> dict[str, str]:
    """The seasonal swing between Sichuan and Xinjiang, and the provinces at the baseline."""
    table = hashrate_by_province.pivot(
        index="month", columns="province", values="share_of_china_pct"
    ).sort_index()
    active = table[table.sum(axis=1) > 0]
    before = pd.Timestamp(baseline_month)
    # The seasons before the crackdown: from the first month to the baseline month (a
    # later month shows the provinces' bans, not the weather).
    seasons = active[active.index <= before]
    wet, sichuan_peak = peak(seasons["Sichuan"])
    dry, xinjiang_peak = peak(seasons["Xinjiang"])
    world = hashrate_by_province[hashrate_by_province["month"] == before].set_index("province")
    missing = [month for month, row in table.iterrows() if row.isna().any() and row.sum() > 0]
    last_active = active.index.max()
    china_pct = "share_of_china_pct"

    def series(province: str) -> list[tuple]:
        return [_is("province", province), ("month", "<=", before)]

    def at(month: pd.Timestamp, province: str, column: str = china_pct) -> Selection:
        return pick(PROVINCE, column, where=[_on(month), _is("province", province)])

    by_month = {"group_by": ["month"], "by": china_pct}
    return {
        "province_first_month": quote(
            month_text(table.index.min()), "the first month of CCAF's province series",
            pick(PROVINCE, "month", op="min"), fmt=MONTH, filter="every province and month",
        ),
        "province_last_month": quote(
            month_text(last_active),
            "the last month in which CCAF's province shares are not all zero",
            pick(PROVINCE, "month", op="max", having=[(china_pct, ">", 0)], **by_month),
            fmt=MONTH, filter="every province and month",
        ),
        "province_zero_month": quote(
            month_text(table.index[table.sum(axis=1) == 0].min()),
            "the first month in which every province's share is zero",
            pick(PROVINCE, "month", op="min", having=[(china_pct, "==", 0)], **by_month),
            fmt=MONTH, filter="every province and month",
        ),
        "sichuan_peak_month": quote(
            month_text(wet),
            "the month of Sichuan's highest share of China's hashrate before the crackdown",
            pick(PROVINCE, "month", op="argmax", by=china_pct, where=series("Sichuan")),
            fmt=MONTH, filter=f"Sichuan, every month up to {month_text(before)}",
        ),
        "sichuan_peak_share": quote(
            percent(sichuan_peak),
            "Sichuan's highest share of China's hashrate before the crackdown",
            pick(PROVINCE, china_pct, op="max", where=series("Sichuan")), fmt=SHARE,
            filter=f"Sichuan, every month up to {month_text(before)}",
        ),
        "xinjiang_at_sichuan_peak": quote(
            percent(active.loc[wet, "Xinjiang"]), f"Xinjiang's share of China in {month_text(wet)}",
            at(wet, "Xinjiang"), fmt=SHARE,
        ),
        "xinjiang_peak_month": quote(
            month_text(dry),
            "the month of Xinjiang's highest share of China's hashrate before the crackdown",
            pick(PROVINCE, "month", op="argmax", by=china_pct, where=series("Xinjiang")),
            fmt=MONTH, filter=f"Xinjiang, every month up to {month_text(before)}",
        ),
        "xinjiang_peak_share": quote(
            percent(xinjiang_peak),
            "Xinjiang's highest share of China's hashrate before the crackdown",
            pick(PROVINCE, china_pct, op="max", where=series("Xinjiang")), fmt=SHARE,
            filter=f"Xinjiang, every month up to {month_text(before)}",
        ),
        "sichuan_at_xinjiang_peak": quote(
            percent(active.loc[dry, "Sichuan"]), f"Sichuan's share of China in {month_text(dry)}",
            at(dry, "Sichuan"), fmt=SHARE,
        ),
        "xinjiang_share_baseline": quote(
            percent(table.loc[before, "Xinjiang"]),
            f"Xinjiang's share of China's hashrate in {month_text(before)}",
            at(before, "Xinjiang"), fmt=SHARE,
        ),
        "xinjiang_global_baseline": quote(
            percent(world.loc["Xinjiang", "share_of_global_pct"]),
            f"Xinjiang's share of global hashrate in {month_text(before)}",
            at(before, "Xinjiang", "share_of_global_pct"), fmt=SHARE,
        ),
        "sichuan_share_baseline": quote(
            percent(table.loc[before, "Sichuan"]),
            f"Sichuan's share of China's hashrate in {month_text(before)}",
            at(before, "Sichuan"), fmt=SHARE,
        ),
        "inner_mongolia_share_baseline": quote(
            percent(table.loc[before, "Inner Mongolia"]),
            f"Inner Mongolia's share of China's hashrate in {month_text(before)}",
            at(before, "Inner Mongolia"), fmt=SHARE,
        ),
        "province_gap_months": quote(
            ", ".join(month_text(m) for m in missing) or "none",
            "the months in which CCAF lists fewer provinces than in the others",
            pick(PROVINCE, "month", op="list", group_by=["month"], group_agg="count",
                 having=[("count", "<", table.shape[1])]),
            fmt=Format(kind="month_list"), filter="every province and month",
        ),
    }  # fmt: skip


def launch_numbers(
    hashrate_by_country: pd.DataFrame, hashrate_by_province: pd.DataFrame
) -> dict[str, str]:
    """China's, Xinjiang's and Inner Mongolia's shares of global hashrate in the last month
    of the Mining Map as CCAF launched it, the month the press still quoted in 2021."""
    month = CCAF_LAUNCH_LAST_MONTH
    provinces = hashrate_by_province[hashrate_by_province["month"] == month]
    world = provinces.set_index("province")["share_of_global_pct"]
    label = month_text(month)

    def province(name: str) -> Selection:
        return pick(PROVINCE, "share_of_global_pct", where=[_on(month), _is("province", name)])

    return {
        "launch_month": quote(
            label, "the last month of the Mining Map as CCAF launched it (May 2020)",
            pick(COUNTRY, "month", where=[_on(month), _is("country", "China")]), fmt=MONTH,
        ),
        "launch_china_share": quote(
            percent(share(hashrate_by_country, "China", month)),
            f"China's share of global hashrate in {label}",
            pick(COUNTRY, "share_pct", where=[_on(month), _is("country", "China")]), fmt=SHARE,
        ),
        "launch_xinjiang_global": quote(
            percent(world["Xinjiang"]), f"Xinjiang's share of global hashrate in {label}",
            province("Xinjiang"), fmt=SHARE,
        ),
        "launch_inner_mongolia_global": quote(
            percent(world["Inner Mongolia"]),
            f"Inner Mongolia's share of global hashrate in {label}",
            province("Inner Mongolia"), fmt=SHARE,
        ),
    }  # fmt: skip


def hashrate_group(
    hashrate_by_country: pd.DataFrame,
    hashrate_by_province: pd.DataFrame,
    hashrate_migration: pd.DataFrame,
    *,
    baseline_month: str,
) -> dict[str, str]:
    """China's share and the provinces, the migration between countries, the launch."""
    countries = hashrate_by_country
    return merge(
        hashrate_numbers(countries, baseline_month),
        global_hashrate_numbers(countries, baseline_month),
        province_numbers(hashrate_by_province, baseline_month),
        migration_numbers(hashrate_migration, countries),
        shift_numbers(hashrate_migration, countries),
        launch_numbers(countries, hashrate_by_province),
    )
