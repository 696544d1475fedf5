"""Pandera models of the CCAF Bitcoin Mining Map snapshots, as published: monthly
shares of global hashrate by country, and of China's hashrate by province."""

from __future__ import annotations

import pandas as pd
from pandera.typing import Series

from mining_report.model_checks import Model, ehs, month_start, one_of, share_pct, table_check
from mining_report.raw.models.ranges import COUNTRY_EHS, SHARE_EHS_TOLERANCE, SHARE_SUM_TOLERANCE
from mining_report.vocabularies import (
    CCAF_COUNTRIES,
    CCAF_COUNTRY_MONTHS,
    CCAF_PROVINCE_MONTHS,
    CCAF_PROVINCES,
    LATEST_POSSIBLE,
    PROVINCE_MONTH_EXCEPTIONS,
)


def _month_sums(df: pd.DataFrame, month: str, share: str) -> pd.Series:
    return df.groupby(month)[share].transform("sum")


class CbeciCountriesRaw(Model):
    """CCAF Bitcoin Mining Map: monthly share of global hashrate by country, as published."""

    date: Series[pd.Timestamp] = month_start(
        CCAF_COUNTRY_MONTHS[0], LATEST_POSSIBLE, description=None
    )
    country: Series[str] = one_of(CCAF_COUNTRIES)
    share_pct: Series[float] = share_pct()
    abs_hashrate_ehs: Series[float] = ehs(**COUNTRY_EHS)

    class Config:
        unique = ["date", "country"]

    @table_check("monthly_shares_sum_to_100", about="share_pct")
    def monthly_shares_sum_to_100(cls, df: pd.DataFrame) -> Series[bool]:
        return (_month_sums(df, "date", "share_pct") - 100).abs() <= SHARE_SUM_TOLERANCE

    @table_check("every_country_every_month", about="country")
    def every_country_every_month(cls, df: pd.DataFrame) -> Series[bool]:
        return df.groupby("date")["country"].transform("nunique") == len(CCAF_COUNTRIES)

    @table_check("share_matches_ehs_within_0.05_ehs", about="abs_hashrate_ehs")
    def share_matches_ehs(cls, df: pd.DataFrame) -> Series[bool]:
        implied = df["share_pct"] / 100 * df.groupby("date")["abs_hashrate_ehs"].transform("sum")
        return (implied - df["abs_hashrate_ehs"]).abs() <= SHARE_EHS_TOLERANCE


class CbeciProvincesRaw(Model):
    """CCAF Bitcoin Mining Map: monthly share of China's hashrate by province, as published."""

    date: Series[pd.Timestamp] = month_start(
        CCAF_PROVINCE_MONTHS[0], LATEST_POSSIBLE, description=None
    )
    province: Series[str] = one_of(CCAF_PROVINCES)
    share_of_china_pct: Series[float] = share_pct()

    class Config:
        unique = ["date", "province"]

    @table_check("monthly_shares_sum_to_100_or_documented_gap", about="share_of_china_pct")
    def monthly_shares_sum_to_100(cls, df: pd.DataFrame) -> Series[bool]:
        balanced = (_month_sums(df, "date", "share_of_china_pct") - 100).abs()
        documented = df["date"].dt.strftime("%Y-%m-%d").isin(list(PROVINCE_MONTH_EXCEPTIONS))
        return (balanced <= SHARE_SUM_TOLERANCE) | documented

    @table_check("every_province_every_month_or_documented_gap", about="province")
    def every_province_every_month(cls, df: pd.DataFrame) -> Series[bool]:
        complete = df.groupby("date")["province"].transform("nunique") == len(CCAF_PROVINCES)
        documented = df["date"].dt.strftime("%Y-%m-%d").isin(list(PROVINCE_MONTH_EXCEPTIONS))
        return complete | documented
