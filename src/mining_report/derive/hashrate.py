"""Where the hashrate was: cleaned CCAF tables by country and by province."""

from __future__ import annotations

import pandas as pd

from mining_report.derive.conventions import finalize
from mining_report.derive.models.hashrate import (
    HashrateByCountry,
    HashrateByProvince,
    HashrateMigration,
)
from mining_report.vocabularies import CCAF_COUNTRIES, COUNTRIES, MIGRATION_PERIODS


def hashrate_by_country(cbeci_countries: pd.DataFrame) -> pd.DataFrame:
    """Monthly hashrate share and EH/s by country, with CCAF's labels normalized.

    Figures are carried over unchanged; only names and column labels change.
    """
    table = pd.DataFrame(
        {
            "month": cbeci_countries["date"],
            "country": cbeci_countries["country"].map(CCAF_COUNTRIES),
            "share_pct": cbeci_countries["share_pct"],
            "hashrate_ehs": cbeci_countries["abs_hashrate_ehs"],
        }
    )
    return finalize(table, HashrateByCountry)


def hashrate_by_province(
    cbeci_provinces: pd.DataFrame, hashrate_by_country: pd.DataFrame
) -> pd.DataFrame:
    """Province shares of China's hashrate, also expressed as shares of global hashrate."""
    china = hashrate_by_country.loc[hashrate_by_country["country"] == "China"]
    china_share = china.set_index("month")["share_pct"]
    months = cbeci_provinces["date"]
    missing = sorted(set(months) - set(china_share.index))
    if missing:
        raise ValueError(f"no China share in hashrate_by_country for {missing[0]:%Y-%m}")
    table = pd.DataFrame(
        {
            "month": months,
            "province": cbeci_provinces["province"],
            "share_of_china_pct": cbeci_provinces["share_of_china_pct"],
            "share_of_global_pct": (
                cbeci_provinces["share_of_china_pct"] * months.map(china_share).to_numpy() / 100
            ).round(4),
        }
    )
    return finalize(table, HashrateByProvince)


#: A migration month given as this word is the last month of the data.
LAST_MONTH = "last"


def hashrate_migration(hashrate_by_country: pd.DataFrame, months: dict[str, str]) -> pd.DataFrame:
    """Share and EH/s per country at the three moments, with changes since ``before``."""
    if set(months) != set(MIGRATION_PERIODS):
        raise ValueError(f"migration months must name {', '.join(MIGRATION_PERIODS)}")
    # "last" follows the data: CCAF's last month, whatever the snapshot's vintage.
    last = hashrate_by_country["month"].max()
    months = {p: last if str(m) == LAST_MONTH else m for p, m in months.items()}
    by_key = hashrate_by_country.set_index(["month", "country"])
    rows = []
    for country in COUNTRIES:
        base = by_key.loc[(pd.Timestamp(months["before"]), country)]
        for period in MIGRATION_PERIODS:
            month = pd.Timestamp(months[period])
            if (month, country) not in by_key.index:
                raise ValueError(f"no CCAF row for {country} in {month:%Y-%m}")
            now = by_key.loc[(month, country)]
            rows.append(
                {
                    "country": country,
                    "period": period,
                    "month": month,
                    "share_pct": now["share_pct"],
                    "hashrate_ehs": now["hashrate_ehs"],
                    "share_change_pts": round(now["share_pct"] - base["share_pct"], 2),
                    "hashrate_change_ehs": round(now["hashrate_ehs"] - base["hashrate_ehs"], 2),
                }
            )
    return finalize(pd.DataFrame(rows), HashrateMigration)
