"""Where the hashrate was: cleaned CCAF tables by country and by province."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .tables import finalize
from .vocabularies import (
    CCAF_COUNTRIES,
    CCAF_PROVINCES,
    COUNTRIES,
    LATEST_POSSIBLE,
    STUDY_START,
)


class HashrateByCountry(pa.DataFrameModel):
    """Monthly share of global hashrate and hashrate by country, names normalized.

    Units: ``share_pct`` in percent of global hashrate; ``hashrate_ehs`` in EH/s
    (monthly average). Key: (month, country).
    """

    month: Series[pd.Timestamp] = pa.Field(
        ge=STUDY_START, le=LATEST_POSSIBLE, description="First day of the month"
    )
    country: Series[str] = pa.Field(
        isin=list(COUNTRIES), description="Country, CCAF names normalized; Other is the rest"
    )
    share_pct: Series[float] = pa.Field(
        ge=0, le=100, description="Share of global hashrate", metadata={"unit": "percent"}
    )
    hashrate_ehs: Series[float] = pa.Field(
        ge=0, description="Monthly average hashrate", metadata={"unit": "EH/s"}
    )

    class Config:
        strict = True
        coerce = True
        ordered = True
        unique = ["month", "country"]


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


class HashrateByProvince(pa.DataFrameModel):
    """Monthly share of China's hashrate by province, and the same as a share of the world's.

    ``share_of_global_pct`` = ``share_of_china_pct`` × China's share of global hashrate
    that month ÷ 100 (CCAF country table), rounded to 4 decimals, which is exact for
    two 2-decimal inputs. Province-months missing from CCAF's download (Inner Mongolia,
    June 2020) are missing here too, never filled. Key: (month, province).
    """

    month: Series[pd.Timestamp] = pa.Field(
        ge=STUDY_START, le=LATEST_POSSIBLE, description="First day of the month"
    )
    province: Series[str] = pa.Field(
        isin=list(CCAF_PROVINCES), description="Province as CCAF reports it; Other is the rest"
    )
    share_of_china_pct: Series[float] = pa.Field(
        ge=0, le=100, description="Share of China's hashrate", metadata={"unit": "percent"}
    )
    share_of_global_pct: Series[float] = pa.Field(
        ge=0, le=100, description="Share of global hashrate", metadata={"unit": "percent"}
    )

    class Config:
        strict = True
        coerce = True
        unique = ["month", "province"]


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


#: The three moments of the migration, in order.
MIGRATION_PERIODS = ("before", "exodus", "latest")
#: A migration month given as this word is the last month of the data.
LAST_MONTH = "last"


class HashrateMigration(pa.DataFrameModel):
    """Each country's hashrate before the crackdown, when China was at zero, and latest.

    ``period`` is ``before`` (the last full month before the May 2021 measures),
    ``exodus`` (a month when CCAF attributed no hashrate to China) or ``latest``
    (CCAF's last month, unless config pins another); the months are set in
    config/config.yaml. Changes are
    against ``before``. Key: (country, period).
    """

    country: Series[str] = pa.Field(isin=list(COUNTRIES), description="Country")
    period: Series[str] = pa.Field(isin=list(MIGRATION_PERIODS), description="Moment compared")
    month: Series[pd.Timestamp] = pa.Field(description="First day of the month")
    share_pct: Series[float] = pa.Field(
        ge=0, le=100, description="Share of global hashrate", metadata={"unit": "percent"}
    )
    hashrate_ehs: Series[float] = pa.Field(
        ge=0, description="Monthly average hashrate", metadata={"unit": "EH/s"}
    )
    share_change_pts: Series[float] = pa.Field(
        description="Change in share since before", metadata={"unit": "percentage points"}
    )
    hashrate_change_ehs: Series[float] = pa.Field(
        description="Change in hashrate since before", metadata={"unit": "EH/s"}
    )

    class Config:
        strict = True
        coerce = True
        unique = ["country", "period"]


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
