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
from .lineage import Format, Quoted, Selection, format_value, pick, quote
from .provenance import Sidecar
from .vocabularies import (
    CCAF_LAUNCH_LAST_MONTH,
    FT_HEADLINE_FIGURE,
    FT_TRACKED_FIGURE,
    ORDINALS,
)

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


def whose(name: str) -> str:
    """A place as an owner: "the United States'", "all of China's", "Xinjiang's"."""
    name = {"United States": "the United States", "national": "all of China"}.get(name, name)
    return f"{name}'" if name.endswith("s") else f"{name}'s"


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
# Lineage shorthands: the tables and the formats the records name
# --------------------------------------------------------------------------------------

COUNTRY = "hashrate_by_country"
PROVINCE = "hashrate_by_province"
MIGRATION = "hashrate_migration"
SHUTDOWNS = "shutdowns"
EXPOSURE = "shutdown_exposure"
RECOVERY = "price_recovery"
TRENDS = "price_trends"
DIFFICULTY = "difficulty_adjustments"
ASIC = "asic_prices"
QUOTES = "asic_price_index_quotes"
EXPORTS = "machine_exports"
DESTINATIONS = "machine_exports_by_destination"
CONFLICTS = "source_conflicts"
#: The validated press table of machine figures (not a cleaned table).
FLOWS = "machine_flows"
#: The validated press table of sources' own words (not a cleaned table).
STATEMENTS = "source_statements"
#: One row per raw table: its validation record and its sidecar (see raw_tables_frame).
RAW_TABLES = "raw_tables"

MONTH = Format(kind="month")
DAY = Format(kind="day")
COUNT = Format(kind="count")
TEXT = Format(kind="text")
SHARE = Format(kind="percent", decimals=2)


def _on(month: pd.Timestamp) -> tuple:
    return ("month", "==", month)


def _is(column: str, value: object) -> tuple:
    return (column, "==", value)


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
    cn = _is("country", "China")
    every = "every country and month of CCAF's series"
    at_zero_rows = [cn, ("month", ">", before), ("share_pct", "==", 0)]
    return_rows = [cn, ("month", ">", zero.max()), ("share_pct", ">", 0)]
    leaders = [_on(zero.min()), ("country", "!=", "Other")]
    named = "the countries CCAF names, not Other"
    return {
        "ccaf_first_month": quote(
            month_label(first), "the first month of CCAF's country series",
            pick(COUNTRY, "month", op="min"), fmt=MONTH, filter=every,
        ),
        "ccaf_last_month": quote(
            month_label(last), "the last month of CCAF's country series",
            pick(COUNTRY, "month", op="max"), fmt=MONTH, filter=every,
        ),
        "ccaf_month_count": quote(
            count(table["month"].nunique()), "the number of months in CCAF's country series",
            pick(COUNTRY, "month", op="nunique"), fmt=COUNT, filter=every,
        ),
        "ccaf_named_countries": quote(
            count(table.loc[table["country"] != "Other", "country"].nunique()),
            "the number of countries CCAF names (all but Other)",
            pick(COUNTRY, "country", op="nunique", where=[("country", "!=", "Other")]),
            fmt=COUNT, filter=named + ", every month",
        ),
        "china_share_first": quote(
            pct(china.loc[first]), f"China's share of global hashrate in {month_label(first)}",
            pick(COUNTRY, "share_pct", where=[cn, _on(first)]), fmt=SHARE,
        ),
        "baseline_month": quote(
            month_label(before),
            "the baseline month, the last full month before the first measure (set in the "
            "project's configuration)",
            pick(COUNTRY, "month", where=[cn, _on(before)]), fmt=MONTH,
        ),
        "china_share_baseline": quote(
            pct(china.loc[before]), f"China's share of global hashrate in {month_label(before)}",
            pick(COUNTRY, "share_pct", where=[cn, _on(before)]), fmt=SHARE,
        ),
        "china_zero_month": quote(
            month_label(zero.min()), "the first month after the baseline with China at 0\u00a0%",
            pick(COUNTRY, "month", op="min", where=at_zero_rows), fmt=MONTH,
        ),
        "china_zero_last_month": quote(
            month_label(zero.max()), "the last month after the baseline with China at 0\u00a0%",
            pick(COUNTRY, "month", op="max", where=at_zero_rows), fmt=MONTH,
        ),
        "china_zero_month_count": quote(
            count(len(zero)), "the number of months after the baseline with China at 0\u00a0%",
            pick(COUNTRY, "month", op="count", where=at_zero_rows), fmt=COUNT,
        ),
        "china_share_return_month": quote(
            month_label(back.index[0]), "the first month China's share is above 0\u00a0% again",
            pick(COUNTRY, "month", op="first", where=return_rows), fmt=MONTH,
            filter="China, months after its last month at 0\u00a0% with a share above 0\u00a0%",
        ),
        "china_share_return": quote(
            pct(back.iloc[0]), "China's share in the first month it is above 0\u00a0% again",
            pick(COUNTRY, "share_pct", op="first", where=return_rows), fmt=SHARE,
            filter="China, months after its last month at 0\u00a0% with a share above 0\u00a0%",
        ),
        "china_share_last": quote(
            pct(china.loc[last]), f"China's share of global hashrate in {month_label(last)}",
            pick(COUNTRY, "share_pct", where=[cn, _on(last)]), fmt=SHARE,
        ),
        "leader_at_china_zero": quote(
            str(leader["country"]),
            f"the country with the largest share in {month_label(zero.min())}",
            pick(COUNTRY, "country", op="argmax", by="share_pct", where=leaders), fmt=TEXT,
        ),
        "leader_share_at_china_zero": quote(
            pct(float(leader["share_pct"])),
            f"the largest share of a named country in {month_label(zero.min())}",
            pick(COUNTRY, "share_pct", op="max", where=leaders), fmt=SHARE,
        ),
    }  # fmt: skip


def global_hashrate_variables(
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
            f"the sum of every country's hashrate (EH/s) in {month_label(before)}",
            base_sum, fmt=ehs,
        ),
        "global_ehs_low_month": quote(
            month_label(low_month),
            "the month after the baseline with the lowest sum of the countries' hashrate",
            pick(COUNTRY, "month", op="argmin", by="hashrate_ehs", group_by=["month"],
                 where=[("month", ">", before)]),
            fmt=MONTH, filter=f"every country, the months after {month_label(before)}",
        ),
        "global_ehs_low": quote(
            number(totals[low_month], 2),
            f"the sum of every country's hashrate (EH/s) in {month_label(low_month)}",
            low_sum, fmt=ehs,
        ),
        "global_ehs_fall_pct": quote(
            percent((1 - totals[low_month] / totals[before]) * 100, 1),
            f"the fall of the countries' summed hashrate from {month_label(before)} to "
            f"{month_label(low_month)}: 1 - {month_label(low_month)} / {month_label(before)}",
            low_sum, base_sum, combine="fall", fmt=Format(kind="percent", decimals=1),
        ),
    }  # fmt: skip


def province_variables(hashrate_by_province: pd.DataFrame, baseline_month: str) -> dict[str, str]:
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
            month_label(table.index.min()), "the first month of CCAF's province series",
            pick(PROVINCE, "month", op="min"), fmt=MONTH, filter="every province and month",
        ),
        "province_last_month": quote(
            month_label(last_active),
            "the last month in which CCAF's province shares are not all zero",
            pick(PROVINCE, "month", op="max", having=[(china_pct, ">", 0)], **by_month),
            fmt=MONTH, filter="every province and month",
        ),
        "province_zero_month": quote(
            month_label(table.index[table.sum(axis=1) == 0].min()),
            "the first month in which every province's share is zero",
            pick(PROVINCE, "month", op="min", having=[(china_pct, "==", 0)], **by_month),
            fmt=MONTH, filter="every province and month",
        ),
        "sichuan_peak_month": quote(
            month_label(wet),
            "the month of Sichuan's highest share of China's hashrate before the crackdown",
            pick(PROVINCE, "month", op="argmax", by=china_pct, where=series("Sichuan")),
            fmt=MONTH, filter=f"Sichuan, every month up to {month_label(before)}",
        ),
        "sichuan_peak_share": quote(
            pct(sichuan_peak), "Sichuan's highest share of China's hashrate before the crackdown",
            pick(PROVINCE, china_pct, op="max", where=series("Sichuan")), fmt=SHARE,
            filter=f"Sichuan, every month up to {month_label(before)}",
        ),
        "xinjiang_at_sichuan_peak": quote(
            pct(active.loc[wet, "Xinjiang"]), f"Xinjiang's share of China in {month_label(wet)}",
            at(wet, "Xinjiang"), fmt=SHARE,
        ),
        "xinjiang_peak_month": quote(
            month_label(dry),
            "the month of Xinjiang's highest share of China's hashrate before the crackdown",
            pick(PROVINCE, "month", op="argmax", by=china_pct, where=series("Xinjiang")),
            fmt=MONTH, filter=f"Xinjiang, every month up to {month_label(before)}",
        ),
        "xinjiang_peak_share": quote(
            pct(xinjiang_peak), "Xinjiang's highest share of China's hashrate before the crackdown",
            pick(PROVINCE, china_pct, op="max", where=series("Xinjiang")), fmt=SHARE,
            filter=f"Xinjiang, every month up to {month_label(before)}",
        ),
        "sichuan_at_xinjiang_peak": quote(
            pct(active.loc[dry, "Sichuan"]), f"Sichuan's share of China in {month_label(dry)}",
            at(dry, "Sichuan"), fmt=SHARE,
        ),
        "xinjiang_share_baseline": quote(
            pct(table.loc[before, "Xinjiang"]),
            f"Xinjiang's share of China's hashrate in {month_label(before)}",
            at(before, "Xinjiang"), fmt=SHARE,
        ),
        "xinjiang_global_baseline": quote(
            pct(world.loc["Xinjiang", "share_of_global_pct"]),
            f"Xinjiang's share of global hashrate in {month_label(before)}",
            at(before, "Xinjiang", "share_of_global_pct"), fmt=SHARE,
        ),
        "sichuan_share_baseline": quote(
            pct(table.loc[before, "Sichuan"]),
            f"Sichuan's share of China's hashrate in {month_label(before)}",
            at(before, "Sichuan"), fmt=SHARE,
        ),
        "inner_mongolia_share_baseline": quote(
            pct(table.loc[before, "Inner Mongolia"]),
            f"Inner Mongolia's share of China's hashrate in {month_label(before)}",
            at(before, "Inner Mongolia"), fmt=SHARE,
        ),
        "province_gap_months": quote(
            ", ".join(month_label(m) for m in missing) or "none",
            "the months in which CCAF lists fewer provinces than in the others",
            pick(PROVINCE, "month", op="list", group_by=["month"], group_agg="count",
                 having=[("count", "<", table.shape[1])]),
            fmt=Format(kind="month_list"), filter="every province and month",
        ),
    }  # fmt: skip


def launch_variables(
    hashrate_by_country: pd.DataFrame, hashrate_by_province: pd.DataFrame
) -> dict[str, str]:
    """China's, Xinjiang's and Inner Mongolia's shares of global hashrate in the last month
    of the Mining Map as CCAF launched it, the month the press still quoted in 2021."""
    month = CCAF_LAUNCH_LAST_MONTH
    provinces = hashrate_by_province[hashrate_by_province["month"] == month]
    world = provinces.set_index("province")["share_of_global_pct"]
    label = month_label(month)

    def province(name: str) -> Selection:
        return pick(PROVINCE, "share_of_global_pct", where=[_on(month), _is("province", name)])

    return {
        "launch_month": quote(
            label, "the last month of the Mining Map as CCAF launched it (May 2020)",
            pick(COUNTRY, "month", where=[_on(month), _is("country", "China")]), fmt=MONTH,
        ),
        "launch_china_share": quote(
            pct(share(hashrate_by_country, "China", month)),
            f"China's share of global hashrate in {label}",
            pick(COUNTRY, "share_pct", where=[_on(month), _is("country", "China")]), fmt=SHARE,
        ),
        "launch_xinjiang_global": quote(
            pct(world["Xinjiang"]), f"Xinjiang's share of global hashrate in {label}",
            province("Xinjiang"), fmt=SHARE,
        ),
        "launch_inner_mongolia_global": quote(
            pct(world["Inner Mongolia"]), f"Inner Mongolia's share of global hashrate in {label}",
            province("Inner Mongolia"), fmt=SHARE,
        ),
    }  # fmt: skip


#: Countries whose migration the text follows, and the prefix of their variables.
MIGRATION_COUNTRIES = {
    "United States": "us",
    "Kazakhstan": "kz",
    "Russia": "ru",
    "Canada": "ca",
    "China": "cn",
}

#: The three moments of the migration, as the record's words say them.
PERIOD_WORDS = {
    "before": "before the crackdown",
    "exodus": "when China was at zero",
    "latest": "in CCAF's latest month",
}


def migration_variables(
    hashrate_migration: pd.DataFrame, hashrate_by_country: pd.DataFrame
) -> dict[str, str]:
    """Shares and EH/s at the three moments, the largest gainer, and the peaks of the series."""
    table = hashrate_migration.set_index(["country", "period"])
    months = hashrate_migration.groupby("period")["month"].first()
    out: dict[str, str] = {
        f"migration_{period}_month": quote(
            month_label(month), f"the month of the moment {PERIOD_WORDS[period]}",
            pick(MIGRATION, "month", op="first", where=[_is("period", period)]), fmt=MONTH,
            filter=f"every country, the moment {PERIOD_WORDS[period]}",
        )
        for period, month in months.items()
    }  # fmt: skip
    for country, slug in MIGRATION_COUNTRIES.items():
        for period in ("before", "exodus", "latest"):
            row = table.loc[(country, period)]
            rows = [_is("country", country), _is("period", period)]
            when = f"{PERIOD_WORDS[period]} ({month_label(row['month'])})"
            out[f"{slug}_share_{period}"] = quote(
                pct(row["share_pct"]),
                f"{whose(country)} share of global hashrate {when}",
                pick(MIGRATION, "share_pct", where=rows),
                fmt=SHARE,
            )
            out[f"{slug}_ehs_{period}"] = quote(
                number(row["hashrate_ehs"], 2),
                f"{whose(country)} hashrate in EH/s {when}",
                pick(MIGRATION, "hashrate_ehs", where=rows),
                fmt=Format(kind="number", decimals=2),
            )
        series = hashrate_by_country[hashrate_by_country["country"] == country]
        month, value = peak(series.set_index("month")["share_pct"].sort_index())
        whole = f"{country}, every month of CCAF's series"
        out[f"{slug}_peak_month"] = quote(
            month_label(month),
            f"the month of {whose(country)} highest share of global hashrate",
            pick(COUNTRY, "month", op="argmax", by="share_pct", where=[_is("country", country)]),
            fmt=MONTH,
            filter=whole,
        )
        out[f"{slug}_peak_share"] = quote(
            pct(value),
            f"{whose(country)} highest share of global hashrate",
            pick(COUNTRY, "share_pct", op="max", where=[_is("country", country)]),
            fmt=SHARE,
            filter=whole,
        )
    latest = hashrate_migration[
        (hashrate_migration["period"] == "latest") & (hashrate_migration["country"] != "Other")
    ]
    gainer = latest.sort_values("share_change_pts", ascending=False).iloc[0]
    named = [_is("period", "latest"), ("country", "!=", "Other")]
    mine = [_is("country", gainer["country"])]
    out["largest_gainer"] = quote(
        str(gainer["country"]),
        "the named country whose share rose most since the baseline",
        pick(MIGRATION, "country", op="argmax", by="share_change_pts", where=named),
        fmt=TEXT,
        filter="every named country, the latest month",
    )
    out["largest_gainer_points"] = quote(
        number(gainer["share_change_pts"], 2),
        "the largest rise of a named country's share since the baseline, in points",
        pick(MIGRATION, "share_change_pts", op="max", where=named),
        fmt=Format(kind="number", decimals=2),
        filter="every named country, the latest month",
    )
    out["largest_gainer_share_latest"] = quote(
        pct(gainer["share_pct"]),
        f"{whose(gainer['country'])} share in CCAF's latest month",
        pick(MIGRATION, "share_pct", where=[*mine, _is("period", "latest")]),
        fmt=SHARE,
    )
    out["largest_gainer_share_before"] = quote(
        pct(gainer["share_pct"] - gainer["share_change_pts"]),
        f"{whose(gainer['country'])} share before the crackdown",
        pick(MIGRATION, "share_pct", where=[*mine, _is("period", "before")]),
        fmt=SHARE,
    )
    return out


def shift_variables(
    hashrate_migration: pd.DataFrame, hashrate_by_country: pd.DataFrame
) -> dict[str, str]:
    """What moved and what grew: China's loss against the gains and the world's growth,
    Kazakhstan's hashrate against its share, and how concentrated the network stayed."""
    ehs = Format(kind="number", decimals=2)
    one = Format(kind="percent", decimals=1)
    totals = hashrate_by_country.groupby("month")["hashrate_ehs"].sum().sort_index()
    months = hashrate_migration.groupby("period")["month"].first()
    before, latest = pd.Timestamp(months["before"]), pd.Timestamp(months["latest"])
    table = hashrate_migration.set_index(["country", "period"])

    def moment(country: str, period: str, column: str = "hashrate_ehs") -> Selection:
        return pick(MIGRATION, column, where=[_is("country", country), _is("period", period)])

    def total(month: pd.Timestamp) -> Selection:
        return pick(COUNTRY, "hashrate_ehs", op="sum", where=[_on(month)])

    def at(country: str, month: pd.Timestamp) -> Selection:
        return pick(COUNTRY, "hashrate_ehs", where=[_is("country", country), _on(month)])

    lost = (
        table.loc[("China", "before"), "hashrate_ehs"]
        - table.loc[("China", "latest"), "hashrate_ehs"]
    )
    gained = (
        table.loc[("United States", "latest"), "hashrate_ehs"]
        - table.loc[("United States", "before"), "hashrate_ehs"]
    )
    kz = hashrate_by_country[hashrate_by_country["country"] == "Kazakhstan"].set_index("month")
    kz_peak, _ = peak(kz["share_pct"])
    kz_at_peak, kz_latest = kz.loc[kz_peak, "hashrate_ehs"], kz.loc[latest, "hashrate_ehs"]
    between = f"{month_label(kz_peak)} to {month_label(latest)}"
    out = {
        "cn_ehs_lost": quote(
            number(lost, 2),
            f"China's hashrate (EH/s) in {month_label(before)} minus {month_label(latest)}",
            moment("China", "before"), moment("China", "latest"), combine="difference", fmt=ehs,
        ),
        "us_ehs_gained": quote(
            number(gained, 2),
            f"the United States' hashrate (EH/s) in {month_label(latest)} minus "
            f"{month_label(before)}",
            moment("United States", "latest"), moment("United States", "before"),
            combine="difference", fmt=ehs,
        ),
        "global_ehs_latest": quote(
            number(totals[latest], 2),
            f"the sum of every country's hashrate (EH/s) in {month_label(latest)}",
            total(latest), fmt=ehs,
        ),
        "global_ehs_rise_pct": quote(
            percent((totals[latest] / totals[before] - 1) * 100, 1),
            f"the rise of the countries' summed hashrate from {month_label(before)} to "
            f"{month_label(latest)}",
            total(latest), total(before), combine="rise", fmt=one,
        ),
        "kz_ehs_at_peak": quote(
            number(kz_at_peak, 2),
            f"Kazakhstan's hashrate (EH/s) in {month_label(kz_peak)}, its peak share",
            at("Kazakhstan", kz_peak), fmt=ehs,
        ),
        "kz_ehs_fall_from_peak_pct": quote(
            percent((1 - kz_latest / kz_at_peak) * 100, 1),
            f"the fall of Kazakhstan's hashrate (EH/s) from {between}",
            at("Kazakhstan", latest), at("Kazakhstan", kz_peak), combine="fall", fmt=one,
        ),
        "global_ehs_rise_since_kz_peak_pct": quote(
            percent((totals[latest] / totals[kz_peak] - 1) * 100, 1),
            f"the rise of the countries' summed hashrate from {between}",
            total(latest), total(kz_peak), combine="rise", fmt=one,
        ),
    }  # fmt: skip
    for period in ("before", "latest"):
        named = hashrate_migration[
            (hashrate_migration["period"] == period) & (hashrate_migration["country"] != "Other")
        ].sort_values(["share_pct", "country"], ascending=[False, True])
        top = named.head(3)
        rows = [_is("period", period), ("country", "in", top["country"].tolist())]
        when = f"{PERIOD_WORDS[period]} ({month_label(top['month'].iloc[0])})"
        out[f"top_three_{period}"] = quote(
            format_value(top["country"].tolist(), Format(kind="names")),
            f"the three named countries with the largest shares {when}",
            pick(MIGRATION, "country", op="list", where=rows, order=["share_pct"], descending=True),
            fmt=Format(kind="names"),
        )
        out[f"top_three_share_{period}"] = quote(
            pct(top["share_pct"].sum()),
            f"the three largest named countries' summed share {when}",
            pick(MIGRATION, "share_pct", op="sum", where=rows),
            fmt=SHARE,
        )
        out[f"largest_country_{period}"] = quote(
            str(top["country"].iloc[0]),
            f"the named country with the largest share {when}",
            pick(MIGRATION, "country", op="argmax", by="share_pct",
                 where=[_is("period", period), ("country", "!=", "Other")]),
            fmt=TEXT,
        )  # fmt: skip
        out[f"largest_country_share_{period}"] = quote(
            pct(top["share_pct"].iloc[0]),
            f"the largest share of a named country {when}",
            pick(MIGRATION, "share_pct", op="max",
                 where=[_is("period", period), ("country", "!=", "Other")]),
            fmt=SHARE,
        )  # fmt: skip
    return out


# --------------------------------------------------------------------------------------
# The crackdown's measures and the hashrate they reached
# --------------------------------------------------------------------------------------


def _measure_of(jurisdiction: str) -> str:
    """'the national measure', "Xinjiang's measure"."""
    return (
        "the national measure" if jurisdiction == "national" else f"{whose(jurisdiction)} measure"
    )


def measure_days(shutdowns: pd.DataFrame) -> dict[str, str]:
    """The day each dated measure was announced (``day_e08`` is event E08's), and the
    deadline or effective day of those that state one (``deadline_e02``)."""
    out: dict[str, str] = {}
    for event in shutdowns.itertuples():
        mine = [_is("event_id", event.event_id)]
        slug = event.event_id.lower()
        if pd.notna(event.date_announced):
            out[f"day_{slug}"] = quote(
                day_label(event.date_announced),
                f"the day {_measure_of(event.jurisdiction)} was announced",
                pick(SHUTDOWNS, "date_announced", where=mine), fmt=DAY,
            )  # fmt: skip
        if "date_effective" in shutdowns and pd.notna(event.date_effective):
            out[f"deadline_{slug}"] = quote(
                day_label(event.date_effective),
                f"the deadline or effective day {_measure_of(event.jurisdiction)} stated",
                pick(SHUTDOWNS, "date_effective", where=mine), fmt=DAY,
            )  # fmt: skip
    return out


def shutdown_variables(shutdowns: pd.DataFrame) -> dict[str, str]:
    """How many measures, where, when, and how many reached less than a province."""
    dated = shutdowns.dropna(subset=["date_announced"])
    national = shutdowns["jurisdiction"] == "national"
    narrow = ~shutdowns["scope"].isin(["national", "province"])
    unknown = shutdowns["exposure_share_of_china_pct"].isna() & shutdowns["date_announced"].notna()
    xinjiang = shutdowns[shutdowns["jurisdiction"] == "Xinjiang"].iloc[0]
    has_day = ("date_announced", "notna")
    every = "every measure"

    def counted(value: int, formula: str, *rows: tuple) -> Quoted:
        return quote(
            count(value),
            formula,
            pick(SHUTDOWNS, "event_id", op="count", where=list(rows)),
            fmt=COUNT,
            filter=None if rows else every,
        )

    xinjiang_row = [_is("event_id", xinjiang["event_id"])]
    return {
        "measure_count": counted(len(shutdowns), "the number of measures in the record"),
        "measure_dated_count": counted(
            len(dated), "the number of measures with a known announcement day", has_day
        ),
        "measure_undated_count": counted(
            len(shutdowns) - len(dated), "the number of measures without a known day",
            ("date_announced", "isna"),
        ),
        "measure_national_count": counted(
            national.sum(), "the number of national measures", _is("jurisdiction", "national")
        ),
        "measure_province_count": quote(
            count(shutdowns.loc[~national, "jurisdiction"].nunique()),
            "the number of provinces with a measure of their own",
            pick(SHUTDOWNS, "jurisdiction", op="nunique",
                 where=[("jurisdiction", "!=", "national")]),
            fmt=COUNT, filter="every measure that is not national",
        ),
        "measure_first_day": quote(
            day_label(dated["date_announced"].min()), "the earliest announcement day",
            pick(SHUTDOWNS, "date_announced", op="min", where=[has_day]), fmt=DAY,
            filter="every dated measure",
        ),
        "measure_last_day": quote(
            day_label(dated["date_announced"].max()), "the latest announcement day",
            pick(SHUTDOWNS, "date_announced", op="max", where=[has_day]), fmt=DAY,
            filter="every dated measure",
        ),
        "measure_narrow_count": counted(
            narrow.sum(), "the number of measures that reached less than a whole province",
            ("scope", "not in", ["national", "province"]),
        ),
        "measure_draft_count": counted(
            (shutdowns["stage"] == "draft").sum(), "the number of drafts put out for comment",
            _is("stage", "draft"),
        ),
        "measure_unknown_exposure_count": counted(
            unknown.sum(), "the number of dated measures whose province's share is unknown",
            ("exposure_share_of_china_pct", "isna"), has_day,
        ),
        "xinjiang_order_exposure_china": quote(
            pct(xinjiang["exposure_share_of_china_pct"]),
            "Xinjiang's share of China's hashrate in the baseline month",
            pick(SHUTDOWNS, "exposure_share_of_china_pct", where=xinjiang_row), fmt=SHARE,
        ),
        "xinjiang_order_exposure_global": quote(
            pct(xinjiang["exposure_share_of_global_pct"]),
            "Xinjiang's share of global hashrate in the baseline month",
            pick(SHUTDOWNS, "exposure_share_of_global_pct", where=xinjiang_row), fmt=SHARE,
        ),
    }  # fmt: skip


def exposure_variables(shutdown_exposure: pd.DataFrame) -> dict[str, str]:
    """The two bounds of the share of China under a stop order, before and at the national ban.

    Read with the baseline month's weights. The plateau day is the first day on
    which the certain share reaches its highest value before the first day it is
    100 (a national order); both bounds are read on that day, and again with the
    wet-season month's weights, to show how much the choice of month moves them.
    """
    weights = {
        name: rows.sort_values("date").set_index("date")
        for name, rows in shutdown_exposure.groupby("weights")
    }
    if set(weights) != {"baseline", "wet season"}:
        raise ValueError(f"exposure weights {sorted(weights)}, not baseline and wet season")
    table, wet = weights["baseline"], weights["wet season"]
    certain, at_most = table["certain_share_of_china_pct"], table["at_most_share_of_china_pct"]
    full = certain[certain >= 100]
    if full.empty:
        raise ValueError("no national stop order in the exposure year")
    before = certain[certain.index < full.index[0]]
    plateau = before[before == before.max()].index[0]
    dry, rainy = _is("weights", "baseline"), _is("weights", "wet season")
    ahead = [dry, ("date", "<", full.index[0])]
    wet_ahead = [rainy, ("date", "<", full.index[0])]
    earlier = f"every day before {day_label(full.index[0])}"
    on_plateau = [dry, _is("date", plateau)]
    wet_on_plateau = [rainy, _is("date", plateau)]
    everywhere = [dry, ("certain_share_of_china_pct", ">=", 100)]
    wet_month = pd.Timestamp(wet["weights_month"].iloc[0])
    wet_before = wet.loc[wet.index < full.index[0]]
    return {
        "stop_order_plateau_day": quote(
            day_label(plateau),
            "the first day the share certainly under a stop order reached its highest value "
            "before the national ban",
            pick(EXPOSURE, "date", op="argmax", by="certain_share_of_china_pct", where=ahead),
            fmt=DAY, filter=earlier,
        ),
        "stop_order_certain_share": quote(
            pct(certain[plateau]),
            f"the share of China's baseline hashrate certainly under a stop order on "
            f"{day_label(plateau)}",
            pick(EXPOSURE, "certain_share_of_china_pct", where=on_plateau), fmt=SHARE,
        ),
        "stop_order_at_most_share": quote(
            pct(at_most[plateau]),
            f"the share of China's baseline hashrate at most under a stop order on "
            f"{day_label(plateau)}",
            pick(EXPOSURE, "at_most_share_of_china_pct", where=on_plateau), fmt=SHARE,
        ),
        "stop_order_at_most_before_national": quote(
            pct(at_most[before.index].max()),
            "the highest share at most under a stop order before the national ban",
            pick(EXPOSURE, "at_most_share_of_china_pct", op="max", where=ahead), fmt=SHARE,
            filter=earlier,
        ),
        "stop_order_full_day": quote(
            day_label(full.index[0]), "the first day all of China was under a stop order",
            pick(EXPOSURE, "date", op="min", where=everywhere),
            fmt=DAY, filter="every day with all of China under an order",
        ),
        "wet_season_month": quote(
            month_label(wet_month),
            "the month Sichuan's share of China peaked in the year before the baseline month",
            pick(EXPOSURE, "weights_month", where=[rainy, _is("date", plateau)]), fmt=MONTH,
        ),
        "wet_stop_order_certain_share": quote(
            pct(wet.loc[plateau, "certain_share_of_china_pct"]),
            f"the share of China's hashrate, weighted by {month_label(wet_month)}, certainly "
            f"under a stop order on {day_label(plateau)}",
            pick(EXPOSURE, "certain_share_of_china_pct", where=wet_on_plateau), fmt=SHARE,
        ),
        "wet_stop_order_at_most_share": quote(
            pct(wet.loc[plateau, "at_most_share_of_china_pct"]),
            f"the share of China's hashrate, weighted by {month_label(wet_month)}, at most "
            f"under a stop order on {day_label(plateau)}",
            pick(EXPOSURE, "at_most_share_of_china_pct", where=wet_on_plateau), fmt=SHARE,
        ),
        "wet_stop_order_at_most_before_national": quote(
            pct(wet_before["at_most_share_of_china_pct"].max()),
            f"the highest share, weighted by {month_label(wet_month)}, at most under a stop "
            "order before the national ban",
            pick(EXPOSURE, "at_most_share_of_china_pct", op="max", where=wet_ahead), fmt=SHARE,
            filter=earlier,
        ),
    }  # fmt: skip


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
        "base_week": quote(
            day_label(base_week),
            "the Monday of the base week (set in the configuration)",
            pick(RECOVERY, "base_week_start", op="first"),
            fmt=DAY,
        ),
        "index_base": quote(
            number(price_trends.loc[base, "btc_close_index"].iloc[0]),
            "the index of the price of bitcoin in the base week",
            pick(TRENDS, "btc_close_index", where=[_is("week_start", base_week)]),
            fmt=Format(kind="number"),
        ),
    }
    whole = Format(kind="percent", decimals=0)
    for series, slug in TREND_SLUGS.items():
        row = recovery.loc[series]
        name = TREND_NAMES[series]
        mine = [_is("series", series)]

        def column(name: str, rows: list = mine) -> Selection:
            return pick(RECOVERY, name, where=rows)

        if pd.notna(row["trough_value"]):
            out[f"{slug}_trough_index"] = quote(
                percent(row["trough_value"] / row["base_value"] * 100, 0),
                f"the trough of {name} as a percent of its base-week value",
                column("trough_value"),
                column("base_value"),
                combine="ratio",
                fmt=whole,
            )
            out[f"{slug}_trough_week"] = quote(
                day_label(row["trough_week_start"]),
                f"the Monday of the trough week of {name}",
                column("trough_week_start"),
                fmt=DAY,
            )
        recovered = str(row["recovered_by"])
        out[f"{slug}_recovered_by"] = quote(
            "not by " + day_label(pd.Timestamp(recovered.removeprefix("not by ")))
            if recovered.startswith("not by")
            else day_label(pd.Timestamp(recovered)),
            f"the Monday of the first week {name} was back at its base-week level",
            column("recovered_by"),
            fmt=DAY,
        )
        weeks = row["weeks_to_baseline"]
        out[f"{slug}_weeks_to_baseline"] = quote(
            "none" if pd.isna(weeks) else count(weeks),
            f"the weeks from the base week until {name} was back at its base-week level",
            column("weeks_to_baseline"),
            fmt=Format(kind="count", missing="none"),
        )
        out[f"{slug}_pre_ban_peak_index"] = quote(
            percent(row["pre_ban_peak"] / row["base_value"] * 100, 0),
            f"the pre-ban peak of {name} as a percent of its base-week value",
            column("pre_ban_peak"),
            column("base_value"),
            combine="ratio",
            fmt=whole,
        )
        out[f"{slug}_pre_ban_peak_week"] = quote(
            day_label(row["pre_ban_peak_week_start"]),
            f"the Monday of the pre-ban peak week of {name}",
            column("pre_ban_peak_week_start"),
            fmt=DAY,
        )
    # The series back at its base-week level earliest (after falling below it).
    fell = recovery[recovery["trough_value"].notna() & recovery["weeks_to_baseline"].notna()]
    if not fell.empty:
        first = str(fell["weeks_to_baseline"].astype(int).idxmin())
        rows = [("trough_value", "notna"), ("weeks_to_baseline", "notna")]
        among = "the series that fell below their base week and came back"
        out["first_recovered"] = quote(
            TREND_NAMES[first],
            "the weekly series back at its base-week level soonest",
            pick(RECOVERY, "series", op="argmin", by="weeks_to_baseline", where=rows),
            fmt=Format(kind="label", labels=TREND_NAMES),
            filter=among,
        )
        out["first_recovered_weeks"] = quote(
            count(fell.loc[first, "weeks_to_baseline"]),
            "the fewest weeks a weekly series took to be back at its base-week level",
            pick(RECOVERY, "weeks_to_baseline", op="min", where=rows),
            fmt=COUNT,
            filter=among,
        )
    return out


def difficulty_variables(difficulty_adjustments: pd.DataFrame) -> dict[str, str]:
    """The largest downward difficulty adjustment: its day and size."""
    # The largest fall; of equal falls, the earliest, as the lineage's argmin takes it.
    drop = difficulty_adjustments.sort_values(["change_pct", "date"], kind="stable").iloc[0]
    # The adjustment block was mined on the mixed day, when there is one.
    mixed = pd.notna(drop.get("mixed_day"))
    day = drop["mixed_day"] if mixed else drop["date"]
    every = "every difficulty adjustment"
    return {
        "difficulty_drop_day": quote(
            day_label(day), "the day of the largest downward difficulty adjustment",
            pick(DIFFICULTY, "mixed_day" if mixed else "date", op="argmin", by="change_pct"),
            fmt=DAY, filter=every,
        ),
        "difficulty_drop_pct": quote(
            percent(abs(drop["change_pct"]), 1), "the largest downward difficulty adjustment",
            pick(DIFFICULTY, "change_pct", op="min"),
            fmt=Format(kind="percent", decimals=1, absolute=True), filter=every,
        ),
        "difficulty_adjustment_count": quote(
            count(len(difficulty_adjustments)), "the number of difficulty adjustments",
            pick(DIFFICULTY, "date", op="count"), fmt=COUNT, filter=every,
        ),
    }  # fmt: skip


def asking_price_variables(asic_prices: pd.DataFrame) -> dict[str, str]:
    """Dealer asking prices of the most efficient machines: first and last month, and the gap."""
    per_month = asic_prices.groupby("month")["listings"].sum()
    empty = per_month[per_month == 0].index
    efficient = asic_prices[
        (asic_prices["efficiency_class"] == "under 38 J/TH")
        & asic_prices["median_usd_per_th"].notna()
    ].sort_values("month")
    first, last = efficient.iloc[0], efficient.iloc[-1]
    resumed = efficient[efficient["month"] > empty.max()].iloc[0]  # first price after the gap
    before_gap = empty.min() - pd.DateOffset(months=1)
    after_gap = empty.max() + pd.DateOffset(months=1)
    no_listing = {"group_by": ["month"], "by": "listings", "having": [("listings", "==", 0)]}
    best = [_is("efficiency_class", "under 38 J/TH"), ("median_usd_per_th", "notna")]
    best_words = "machines under 38 J/TH, every month with listings"
    usd = Format(kind="unit", unit="USD per TH/s", decimals=2)
    return {
        "asic_gap_first": quote(
            month_label(empty.min()), "the first month without any dealer listing",
            pick(ASIC, "month", op="min", **no_listing), fmt=MONTH,
            filter="every month and efficiency class",
        ),
        "asic_gap_last": quote(
            month_label(empty.max()), "the last month without any dealer listing",
            pick(ASIC, "month", op="max", **no_listing), fmt=MONTH,
            filter="every month and efficiency class",
        ),
        "asic_first_month": quote(
            month_label(first["month"]), "the first month with a price for machines under 38 J/TH",
            pick(ASIC, "month", op="first", where=best), fmt=MONTH, filter=best_words,
        ),
        "asic_first_efficient_median": quote(
            with_unit(first["median_usd_per_th"], "USD per TH/s", 2),
            f"the median asking price of machines under 38 J/TH in {month_label(first['month'])}",
            pick(ASIC, "median_usd_per_th", op="first", where=best), fmt=usd, filter=best_words,
        ),
        "asic_resumed_month": quote(
            month_label(resumed["month"]),
            "the first month after the gap with a price for machines under 38 J/TH",
            pick(ASIC, "month", op="first", where=[*best, ("month", ">", empty.max())]),
            fmt=MONTH, filter=best_words + ", after the gap",
        ),
        "asic_resumed_efficient_median": quote(
            with_unit(resumed["median_usd_per_th"], "USD per TH/s", 2),
            f"the median asking price of machines under 38 J/TH in {month_label(resumed['month'])}",
            pick(ASIC, "median_usd_per_th", op="first",
                 where=[*best, ("month", ">", empty.max())]),
            fmt=usd, filter=best_words + ", after the gap",
        ),
        "asic_last_month": quote(
            month_label(last["month"]), "the last month with a price for machines under 38 J/TH",
            pick(ASIC, "month", op="last", where=best), fmt=MONTH, filter=best_words,
        ),
        "asic_last_efficient_median": quote(
            with_unit(last["median_usd_per_th"], "USD per TH/s", 2),
            f"the median asking price of machines under 38 J/TH in {month_label(last['month'])}",
            pick(ASIC, "median_usd_per_th", op="last", where=best), fmt=usd, filter=best_words,
        ),
        "asic_listing_count": quote(
            count(asic_prices["listings"].sum()), "the number of dealer listings",
            pick(ASIC, "listings", op="sum"), fmt=COUNT, filter="every month and efficiency class",
        ),
        "asic_listings_before_gap": quote(
            count(per_month[before_gap]),
            f"the number of dealer listings in {month_label(before_gap)}, the month before the gap",
            pick(ASIC, "listings", op="sum", where=[_on(before_gap)]), fmt=COUNT,
            filter=f"every efficiency class, {month_label(before_gap)}",
        ),
        "asic_unclassified_after_gap": quote(
            count(
                asic_prices.loc[
                    (asic_prices["month"] == after_gap)
                    & (asic_prices["efficiency_class"] == "unclassified"),
                    "listings",
                ].sum()
            ),
            f"the dealer listings of {month_label(after_gap)} whose model no specification "
            "matches (left out of every class's median)",
            pick(ASIC, "listings", op="sum",
                 where=[_on(after_gap), _is("efficiency_class", "unclassified")]),
            fmt=COUNT,
        ),
        "asic_listings_after_gap": quote(
            count(per_month[after_gap]),
            f"the number of dealer listings in {month_label(after_gap)}, the month after the gap",
            pick(ASIC, "listings", op="sum", where=[_on(after_gap)]), fmt=COUNT,
            filter=f"every efficiency class, {month_label(after_gap)}",
        ),
    }  # fmt: skip


def index_quote_variables(asic_price_index_quotes: pd.DataFrame) -> dict[str, str]:
    """The day of the highest quoted Hashrate Index value for the newest machines."""
    best = asic_price_index_quotes[asic_price_index_quotes["efficiency_class"] == "under 38 J/TH"]
    if best.empty:
        raise ValueError("no Hashrate Index quote for machines under 38 J/TH")
    high = best.loc[best["usd_per_th"].idxmax()]
    rows = [_is("efficiency_class", "under 38 J/TH")]
    words = "the quoted index values for machines under 38 J/TH"
    return {
        "index_high_day": quote(
            day_label(high["date"]),
            "the day of the highest quoted Hashrate Index value for machines under 38 J/TH",
            pick(QUOTES, "date", op="argmax", by="usd_per_th", where=rows), fmt=DAY, filter=words,
        ),
        "index_high": quote(
            with_unit(high["usd_per_th"], "USD per TH/s", 2),
            "the highest quoted Hashrate Index value for machines under 38 J/TH",
            pick(QUOTES, "usd_per_th", op="max", where=rows),
            fmt=Format(kind="unit", unit="USD per TH/s", decimals=2), filter=words,
        ),
    }  # fmt: skip


# --------------------------------------------------------------------------------------
# Machines (press figures)
# --------------------------------------------------------------------------------------


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
    tracked = pick(EXPORTS, "machines", where=[_is("figure_id", FT_TRACKED_FIGURE)])
    out = {
        "ft_machines_moved": quote(
            count(figures[FT_HEADLINE_FIGURE]),
            "the machines the Financial Times survey counted as moved out of China",
            pick(EXPORTS, "machines", where=[_is("figure_id", FT_HEADLINE_FIGURE)]), fmt=COUNT,
        ),
        "tracked_machines": quote(
            count(figures[FT_TRACKED_FIGURE]),
            "the machines the survey tracked to a destination", tracked, fmt=COUNT,
        ),
        "conflict_count": quote(
            count(len(source_conflicts)), "the number of conflicts in the ledger",
            pick(CONFLICTS, "conflict_id", op="count"), fmt=COUNT, filter="every conflict",
        ),
    }  # fmt: skip
    for position, slug in enumerate(("top", "second", "third")):
        row = ranked.iloc[position]
        at_rank = [("rank", "==", int(row["rank"])), ("machines", "notna")]
        place = ORDINALS[position + 1]
        out[f"{slug}_destination"] = quote(
            str(row["destination_country"]),
            f"the {place} destination by machines counted",
            pick(DESTINATIONS, "destination_country", where=at_rank),
            fmt=TEXT,
        )
        out[f"{slug}_destination_machines"] = quote(
            count(row["machines"]),
            f"the machines counted for the {place} destination",
            pick(DESTINATIONS, "machines", where=at_rank),
            fmt=COUNT,
        )
        # From the counts, not from share_of_tracked_pct: one rounding only.
        tracked_share = row["machines"] / figures[FT_TRACKED_FIGURE] * 100
        out[f"{slug}_destination_share"] = quote(
            percent(float(tracked_share), 0),
            f"the {place} destination's machines as a percent of those tracked",
            pick(DESTINATIONS, "machines", where=at_rank),
            tracked,
            combine="ratio",
            fmt=Format(kind="percent", decimals=0),
        )
    # Destinations named without a count: alone at their rank, or sharing one (unordered).
    uncounted = machine_exports_by_destination[machine_exports_by_destination["machines"].isna()]
    sizes = uncounted.groupby("rank")["destination_country"].transform("size")
    alone = uncounted[sizes == 1].sort_values("rank")
    shared = uncounted[sizes > 1].sort_values("destination_country")
    if not alone.empty:
        rows = [("machines", "isna"), ("rank", "==", int(alone["rank"].iloc[0]))]
        out["ranked_uncounted"] = quote(
            str(alone["destination_country"].iloc[0]),
            "the destination named alone at its rank without a count",
            pick(DESTINATIONS, "destination_country", where=rows),
            fmt=TEXT,
        )
        out["ranked_uncounted_rank"] = quote(
            ORDINALS[int(alone["rank"].iloc[0])],
            "its rank among the destinations",
            pick(DESTINATIONS, "rank", where=rows),
            fmt=Format(kind="ordinal"),
        )
    shared_rows = [("machines", "isna"), ("rank", "in", sorted({int(r) for r in shared["rank"]}))]
    out["unordered_destinations"] = quote(
        " and ".join(shared["destination_country"]),
        "the destinations named at a shared rank, without counts or an order",
        pick(DESTINATIONS, "destination_country", op="list", where=shared_rows,
             order=["destination_country"]),
        fmt=Format(kind="and_list"),
    )  # fmt: skip
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
PRESS_LISTS: dict[str, str] = {"bitmain_countries": "M42", "bitmain_markets": "M71"}

#: Press figures whose period, as the source words it, the text quotes: variable → figure id.
PRESS_PERIODS: dict[str, str] = {
    "ft_machines_period": "M01",
    "marathon_purchase_period": "M28",
    "s19_price_fall_period": "M30",
    "top_tier_price_fall_period": "M31",
    "secondhand_june_period": "M32",
    "secondhand_april_period": "M33",
    "luxor_q3_close_period": "M38",
}

#: Press figures whose date of report the text quotes: variable → figure id.
PRESS_DATES: dict[str, str] = {
    "bitmain_suspension_day": "M41",
    "ft_survey_day": "M01",
    "kazakh_shutdown_report_day": "M54",
}


def disputed_day_variables(source_conflicts: pd.DataFrame) -> dict[str, str]:
    """For a measure whose day the sources dispute, the other day and who gives it.

    ``day_e09_disputed`` and ``day_e09_disputed_by`` come from the ledger row whose
    first claim is event E09's announcement day and whose second is a date.
    """
    out: dict[str, str] = {}
    for row in source_conflicts.itertuples():
        ref, other_unit = str(row.claim_a_ref), str(row.claim_b_unit)
        if not (ref.startswith("events:") and other_unit.startswith("date")):
            continue
        slug = "day_" + ref.split(":", 1)[1].lower()
        mine = [_is("conflict_id", row.conflict_id)]
        out[f"{slug}_disputed"] = quote(
            day_label(pd.Timestamp(row.claim_b_value)),
            f"the other day the sources give for the measure of {slug.removeprefix('day_')}",
            pick(CONFLICTS, "claim_b_value", where=mine),
            fmt=DAY,
        )
        out[f"{slug}_disputed_by"] = quote(
            str(row.claim_b_source).split(",", 1)[0],
            "the outlet that gives the other day",
            pick(CONFLICTS, "claim_b_source", where=mine),
            fmt=Format(kind="outlet"),
        )
    return out


def _metric(rows: pd.DataFrame, figure: str) -> str:
    """What a press figure counts, in the compiler's words."""
    return str(rows.loc[figure].get("metric", "the figure as the press gave it"))


def press_figure_variables(machine_flows: pd.DataFrame) -> dict[str, str]:
    """Single press figures as quoted: the number in its unit, or the day it was reported."""
    rows = machine_flows.set_index("figure_id")
    out = {}
    for name, (figure, unit, decimals) in PRESS_FIGURES.items():
        value = float(rows.loc[figure, "value"])
        if unit is None:
            unit = str(rows.loc[figure, "unit"])
        if unit == "%":
            text, fmt = percent(value, decimals), Format(kind="percent", decimals=decimals)
        elif unit:
            text = with_unit(value, unit, decimals)
            fmt = Format(kind="unit", unit=unit, decimals=decimals)
        else:
            text, fmt = number(value, decimals), Format(kind="number", decimals=decimals)
        out[name] = quote(
            text,
            f"as reported: {_metric(rows, figure)}",
            pick(FLOWS, "value", where=[_is("figure_id", figure)]),
            fmt=fmt,
        )
    for name, figure in PRESS_LISTS.items():
        names = [part.strip() for part in str(rows.loc[figure, "value"]).split(";")]
        names = [f"the {n}" if n == "United States" else n for n in names]
        out[name] = quote(
            ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0],
            f"as reported: {_metric(rows, figure)}",
            pick(FLOWS, "value", where=[_is("figure_id", figure)]),
            fmt=Format(kind="names"),
        )
    for name, figure in PRESS_PERIODS.items():
        period = rows.loc[figure, "period"]
        if pd.isna(period):
            raise ValueError(f"machine_flows: {figure} states no period for {name}")
        out[name] = quote(
            str(period),
            f"the period of the figure, as its source words it: {_metric(rows, figure)}",
            pick(FLOWS, "period", where=[_is("figure_id", figure)]),
            fmt=TEXT,
        )
    for name, figure in PRESS_DATES.items():
        out[name] = quote(
            day_label(pd.Timestamp(rows.loc[figure, "date_reported"])),
            f"the day of the report: {_metric(rows, figure)}",
            pick(FLOWS, "date_reported", where=[_is("figure_id", figure)]),
            fmt=DAY,
        )
    return out


def statement_variables(source_statements: pd.DataFrame) -> dict[str, str]:
    """The month of each statement whose page is dated by day (``statement_s03_month``),
    for the text that says when it was said; the words themselves the text quotes as
    they stand in the table (tests/data/test_prose.py holds it to them)."""
    out: dict[str, str] = {}
    for row in source_statements.itertuples():
        if pd.notna(row.source_date):
            out[f"statement_{row.statement_id.lower()}_month"] = quote(
                month_label(pd.Timestamp(row.source_date)),
                f"the month of the page that says it: {row.topic}",
                pick(STATEMENTS, "source_date", where=[_is("statement_id", row.statement_id)]),
                fmt=MONTH,
            )
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


def raw_tables_frame(
    validations: list[dict[str, object]], sidecars: Mapping[str, Sidecar]
) -> pd.DataFrame:
    """One row per raw table: its validation record (rows, checks) and its sidecar."""
    rows = []
    for record in validations:
        meta = sidecars.get(str(record["table"]))
        rows.append(
            {
                "table": str(record["table"]),
                "title": meta.title if meta else str(record["table"]),
                "rows": int(record["rows"]),
                "checks": int(record["checks"]),
                "author": str(meta.author if meta else None),
                "licence_id": str(meta.licence_id if meta else None),
            }
        )
    return pd.DataFrame(rows, columns=["table", "title", "rows", "checks", "author", "licence_id"])


def data_variables(
    validations: list[dict[str, object]], sidecars: Mapping[str, Sidecar]
) -> dict[str, str]:
    """What the validation checked, and the licence the text names."""
    by_author = {str(meta.author): meta for meta in sidecars.values()}
    every = "every raw table"
    return {
        "raw_table_count": quote(
            count(len(validations)), "the number of raw tables validated",
            pick(RAW_TABLES, "table", op="count"), fmt=COUNT, filter=every,
        ),
        "validation_rows": quote(
            count(sum(int(v["rows"]) for v in validations)),
            "the rows of all raw tables", pick(RAW_TABLES, "rows", op="sum"), fmt=COUNT,
            filter=every,
        ),
        "validation_checks": quote(
            count(sum(int(v["checks"]) for v in validations)),
            "the checks the raw tables passed", pick(RAW_TABLES, "checks", op="sum"), fmt=COUNT,
            filter=every,
        ),
        "coinmetrics_licence": quote(
            licence_label(str(by_author["Coin Metrics"].licence_id)),
            "the licence of Coin Metrics' data, as its provenance record states it",
            pick(RAW_TABLES, "licence_id", where=[_is("author", "Coin Metrics")]),
            fmt=Format(kind="licence"),
        ),
    }  # fmt: skip


# --------------------------------------------------------------------------------------
# The groups of numbers, one job each (the registry's ``NUMBERS``)
# --------------------------------------------------------------------------------------


def hashrate_numbers(
    hashrate_by_country: pd.DataFrame,
    hashrate_by_province: pd.DataFrame,
    hashrate_migration: pd.DataFrame,
    *,
    baseline_month: str,
) -> dict[str, str]:
    """China's share and the provinces, the migration between countries, the launch."""
    countries = hashrate_by_country
    return merge(
        hashrate_variables(countries, baseline_month),
        global_hashrate_variables(countries, baseline_month),
        province_variables(hashrate_by_province, baseline_month),
        migration_variables(hashrate_migration, countries),
        shift_variables(hashrate_migration, countries),
        launch_variables(countries, hashrate_by_province),
    )


def shutdown_numbers(shutdowns: pd.DataFrame, shutdown_exposure: pd.DataFrame) -> dict[str, str]:
    """The measures, their days, and the share of China's hashrate under stop orders."""
    return merge(
        measure_days(shutdowns),
        shutdown_variables(shutdowns),
        exposure_variables(shutdown_exposure),
    )


def price_numbers(
    price_recovery: pd.DataFrame,
    price_trends: pd.DataFrame,
    difficulty_adjustments: pd.DataFrame,
    asic_prices: pd.DataFrame,
    asic_price_index_quotes: pd.DataFrame,
) -> dict[str, str]:
    """The weekly series' troughs and recoveries, the difficulty drop, asking prices."""
    return merge(
        recovery_variables(price_recovery, price_trends),
        difficulty_variables(difficulty_adjustments),
        asking_price_variables(asic_prices),
        index_quote_variables(asic_price_index_quotes),
    )


def machine_numbers(
    machine_exports: pd.DataFrame,
    machine_exports_by_destination: pd.DataFrame,
    source_conflicts: pd.DataFrame,
) -> dict[str, str]:
    """The FT's totals, the top destinations and the conflict ledger."""
    return merge(
        machine_variables(machine_exports, machine_exports_by_destination, source_conflicts),
        disputed_day_variables(source_conflicts),
    )


def press_numbers(machine_flows: pd.DataFrame, source_statements: pd.DataFrame) -> dict[str, str]:
    """Single press figures as quoted, and the sources' own words."""
    return merge(press_figure_variables(machine_flows), statement_variables(source_statements))


def data_numbers(
    validations: list[dict[str, object]], sidecars: Mapping[str, Sidecar]
) -> dict[str, str]:
    """What the validation checked, and the licence the text names."""
    return data_variables(validations, sidecars)
