"""Pandera models of the cleaned hashrate tables: where the hashrate was, by country
and by province, and each country's hashrate before the crackdown, at China's zero and
latest."""

from __future__ import annotations

import pandas as pd
from pandera.typing import Series

from mining_report.model_checks import Model, ehs, measure, month_start, one_of, share_pct
from mining_report.vocabularies import (
    CCAF_PROVINCES,
    COUNTRIES,
    LATEST_POSSIBLE,
    MIGRATION_PERIODS,
    STUDY_START,
)


class HashrateByCountry(Model):
    """Monthly share of global hashrate and hashrate by country, names normalized.

    Units: ``share_pct`` in percent of global hashrate; ``hashrate_ehs`` in EH/s
    (monthly average). Key: (month, country).
    """

    month: Series[pd.Timestamp] = month_start(STUDY_START, LATEST_POSSIBLE)
    country: Series[str] = one_of(COUNTRIES, "Country, CCAF names normalized; Other is the rest")
    share_pct: Series[float] = share_pct("Share of global hashrate")
    hashrate_ehs: Series[float] = ehs("Monthly average hashrate", ge=0)

    class Config:
        ordered = True
        unique = ["month", "country"]


class HashrateByProvince(Model):
    """Monthly share of China's hashrate by province, and the same as a share of the world's.

    ``share_of_global_pct`` = ``share_of_china_pct`` × China's share of global hashrate
    that month ÷ 100 (CCAF country table), rounded to 4 decimals, which is exact for
    two 2-decimal inputs. Province-months missing from CCAF's download (Inner Mongolia,
    June 2020) are missing here too, never filled. Key: (month, province).
    """

    month: Series[pd.Timestamp] = month_start(STUDY_START, LATEST_POSSIBLE)
    province: Series[str] = one_of(CCAF_PROVINCES, "Province as CCAF reports it; Other is the rest")
    share_of_china_pct: Series[float] = share_pct("Share of China's hashrate")
    share_of_global_pct: Series[float] = share_pct("Share of global hashrate")

    class Config:
        unique = ["month", "province"]


class HashrateMigration(Model):
    """Each country's hashrate at three moments: before the crackdown, at zero, latest.

    ``period`` is ``before`` (the last full month before the May 2021 measures),
    ``exodus`` (a month when CCAF attributed no hashrate to China) or ``latest``
    (CCAF's last month, unless config pins another); the months are set in
    config/config.yaml. Changes are
    against ``before``. Key: (country, period).
    """

    country: Series[str] = one_of(COUNTRIES, "Country")
    period: Series[str] = one_of(MIGRATION_PERIODS, "Moment compared")
    month: Series[pd.Timestamp] = month_start()
    share_pct: Series[float] = share_pct("Share of global hashrate")
    hashrate_ehs: Series[float] = ehs("Monthly average hashrate", ge=0)
    share_change_pts: Series[float] = measure("percentage points", "Change in share since before")
    hashrate_change_ehs: Series[float] = ehs("Change in hashrate since before")

    class Config:
        unique = ["country", "period"]
