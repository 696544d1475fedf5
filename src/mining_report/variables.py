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
