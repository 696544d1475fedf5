"""Pandera models: one per raw table and one per cleaned table."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .vocabularies import CCAF_COUNTRIES, COUNTRIES, STUDY_END, STUDY_START

#: CCAF rounds shares to two decimals, so a month sums to 100 within a few hundredths.
SHARE_SUM_TOLERANCE = 0.05


def _is_month_start(dates: pd.Series) -> pd.Series:
    return dates.dt.is_month_start


class CbeciCountriesRaw(pa.DataFrameModel):
    """CCAF Bitcoin Mining Map: monthly share of global hashrate by country, as published."""

    date: Series[pd.Timestamp] = pa.Field(ge=STUDY_START, le=STUDY_END)
    country: Series[str] = pa.Field(isin=list(CCAF_COUNTRIES))
    share_pct: Series[float] = pa.Field(ge=0, le=100)
    abs_hashrate_ehs: Series[float] = pa.Field(ge=0)

    class Config:
        strict = True
        coerce = True
        unique = ["date", "country"]

    @pa.check("date", name="first_day_of_month")
    def first_day_of_month(cls, dates: Series[pd.Timestamp]) -> Series[bool]:
        return _is_month_start(dates)

    @pa.dataframe_check(name="monthly_shares_sum_to_100")
    def monthly_shares_sum_to_100(cls, df: pd.DataFrame) -> Series[bool]:
        total = df.groupby("date")["share_pct"].transform("sum")
        return (total - 100).abs() <= SHARE_SUM_TOLERANCE


class HashrateByCountry(pa.DataFrameModel):
    """Monthly share of global hashrate and hashrate by country, names normalized.

    Units: ``share_pct`` in percent of global hashrate; ``hashrate_ehs`` in EH/s
    (monthly average). Key: (month, country).
    """

    month: Series[pd.Timestamp] = pa.Field(ge=STUDY_START, le=STUDY_END)
    country: Series[str] = pa.Field(isin=list(COUNTRIES))
    share_pct: Series[float] = pa.Field(ge=0, le=100)
    hashrate_ehs: Series[float] = pa.Field(ge=0)

    class Config:
        strict = True
        coerce = True
        ordered = True
        unique = ["month", "country"]

    @pa.dataframe_check(name="sorted_by_key")
    def sorted_by_key(cls, df: pd.DataFrame) -> bool:
        order = pd.Categorical(df["country"], categories=COUNTRIES, ordered=True)
        key = pd.DataFrame({"month": df["month"], "order": order.codes})
        return key.equals(key.sort_values(["month", "order"], kind="stable"))


#: The column each table-level check is about, so a failure report names it.
CHECK_COLUMNS: dict[str, str] = {"monthly_shares_sum_to_100": "share_pct"}

#: Raw table name (the CSV's stem in data/raw) → its pandera model.
RAW_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "cbeci_countries": CbeciCountriesRaw,
}
