"""Where the hashrate went (CCAF): the countries' shares and EH/s at the three moments
of the migration, what moved and what grew."""

from __future__ import annotations

import pandas as pd

from mining_report.formatting import month_text, number, percent
from mining_report.numbers.common import (
    COUNTRY,
    MIGRATION,
    MONTH,
    SHARE,
    TEXT,
    _is,
    _on,
    peak,
    whose,
)
from mining_report.numbers.lineage import Format, Selection, format_value, pick, quote

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


def migration_numbers(
    hashrate_migration: pd.DataFrame, hashrate_by_country: pd.DataFrame
) -> dict[str, str]:
    """Shares and EH/s at the three moments, the largest gainer, and the peaks of the series."""
    table = hashrate_migration.set_index(["country", "period"])
    months = hashrate_migration.groupby("period")["month"].first()
    out: dict[str, str] = {
        f"migration_{period}_month": quote(
            month_text(month), f"the month of the moment {PERIOD_WORDS[period]}",
            pick(MIGRATION, "month", op="first", where=[_is("period", period)]), fmt=MONTH,
            filter=f"every country, the moment {PERIOD_WORDS[period]}",
        )
        for period, month in months.items()
    }  # fmt: skip
    for country, slug in MIGRATION_COUNTRIES.items():
        for period in ("before", "exodus", "latest"):
            row = table.loc[(country, period)]
            rows = [_is("country", country), _is("period", period)]
            when = f"{PERIOD_WORDS[period]} ({month_text(row['month'])})"
            out[f"{slug}_share_{period}"] = quote(
                percent(row["share_pct"]),
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
            month_text(month),
            f"the month of {whose(country)} highest share of global hashrate",
            pick(COUNTRY, "month", op="argmax", by="share_pct", where=[_is("country", country)]),
            fmt=MONTH,
            filter=whole,
        )
        out[f"{slug}_peak_share"] = quote(
            percent(value),
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
        percent(gainer["share_pct"]),
        f"{whose(gainer['country'])} share in CCAF's latest month",
        pick(MIGRATION, "share_pct", where=[*mine, _is("period", "latest")]),
        fmt=SHARE,
    )
    out["largest_gainer_share_before"] = quote(
        percent(gainer["share_pct"] - gainer["share_change_pts"]),
        f"{whose(gainer['country'])} share before the crackdown",
        pick(MIGRATION, "share_pct", where=[*mine, _is("period", "before")]),
        fmt=SHARE,
    )
    return out


def shift_numbers(
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
    between = f"{month_text(kz_peak)} to {month_text(latest)}"
    out = {
        "cn_ehs_lost": quote(
            number(lost, 2),
            f"China's hashrate (EH/s) in {month_text(before)} minus {month_text(latest)}",
            moment("China", "before"), moment("China", "latest"), combine="difference", fmt=ehs,
        ),
        "us_ehs_gained": quote(
            number(gained, 2),
            f"the United States' hashrate (EH/s) in {month_text(latest)} minus "
            f"{month_text(before)}",
            moment("United States", "latest"), moment("United States", "before"),
            combine="difference", fmt=ehs,
        ),
        "global_ehs_latest": quote(
            number(totals[latest], 2),
            f"the sum of every country's hashrate (EH/s) in {month_text(latest)}",
            total(latest), fmt=ehs,
        ),
        "global_ehs_rise_pct": quote(
            percent((totals[latest] / totals[before] - 1) * 100, 1),
            f"the rise of the countries' summed hashrate from {month_text(before)} to "
            f"{month_text(latest)}",
            total(latest), total(before), combine="rise", fmt=one,
        ),
        "kz_ehs_at_peak": quote(
            number(kz_at_peak, 2),
            f"Kazakhstan's hashrate (EH/s) in {month_text(kz_peak)}, its peak share",
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
        when = f"{PERIOD_WORDS[period]} ({month_text(top['month'].iloc[0])})"
        out[f"top_three_{period}"] = quote(
            format_value(top["country"].tolist(), Format(kind="names")),
            f"the three named countries with the largest shares {when}",
            pick(MIGRATION, "country", op="list", where=rows, order=["share_pct"], descending=True),
            fmt=Format(kind="names"),
        )
        out[f"top_three_share_{period}"] = quote(
            percent(top["share_pct"].sum()),
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
            percent(top["share_pct"].iloc[0]),
            f"the largest share of a named country {when}",
            pick(MIGRATION, "share_pct", op="max",
                 where=[_is("period", period), ("country", "!=", "Other")]),
            fmt=SHARE,
        )  # fmt: skip
    return out
