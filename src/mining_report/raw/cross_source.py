"""The check of one source against another that measures the same thing: CCAF's EH/s
by country, summed per month, against Coin Metrics' network hashrate."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mining_report.raw.failures import failure_rows


def network_hashrate_failures(
    cbeci_countries: pd.DataFrame,
    btc_daily: pd.DataFrame,
    countries_csv: str | Path,
    daily_csv: str | Path,
    tolerance: float,
) -> pd.DataFrame:
    """CCAF's monthly EH/s, summed over countries, against Coin Metrics' monthly mean.

    Both measure the network's hashrate; they agree within 0.02 % in the real data.
    Months that only one of them covers are not compared.
    """
    ccaf = cbeci_countries.groupby("date")["abs_hashrate_ehs"].sum()
    daily = btc_daily.set_index("date")["hashrate_ehs"]
    coin_metrics = daily.groupby(daily.index.to_period("M").to_timestamp()).mean()
    both = pd.concat({"ccaf": ccaf, "coin_metrics": coin_metrics}, axis=1).dropna()
    off = (both["ccaf"] / both["coin_metrics"] - 1).abs() > tolerance
    check = f"ccaf_ehs_matches_coin_metrics_hashrate(within {tolerance:.0%})"
    found = [
        {
            "column": "abs_hashrate_ehs",
            "check": check,
            "failure_case": (
                f"{month:%Y-%m}: CCAF {row.ccaf:.2f} EH/s, Coin Metrics "
                f"{row.coin_metrics:.2f} EH/s in {daily_csv}"
            ),
            "index": None,
        }
        for month, row in both[off].iterrows()
    ]
    return failure_rows(found, countries_csv, [])
