"""Pandera models of what machines cost: the monthly median dealer asking price per
TH/s by efficiency class, and the Hashrate Index ASIC Price Index values quoted in
press."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from mining_report.model_checks import Model, count, month_start, one_of, usd_per_th
from mining_report.vocabularies import EFFICIENCY_BANDS, EFFICIENCY_CLASSES, STUDY_END

#: The first month of the ASIC listings and index quotes.
ASIC_PRICES_START = pd.Timestamp("2021-01-01")


class AsicPrices(Model):
    """Monthly median dealer asking price per TH/s, by Hashrate Index efficiency class.

    Dealer listings only (vendor set; the Hashrate Index quotes are in
    asic_price_index_quotes). A listing's efficiency is its model's power / hash rate
    from asic_models, at the listing's hash rate when the family has that variant,
    else the family's median J/TH; listings matching no model are 'unclassified'.
    Every month from the first to the last listing month appears with every class:
    months without listings have listings = 0 and no median, never interpolated.
    Key: (month, efficiency_class).
    """

    month: Series[pd.Timestamp] = month_start(ASIC_PRICES_START, STUDY_END)
    efficiency_class: Series[str] = one_of(
        EFFICIENCY_CLASSES, "Hashrate Index band (J/TH: < 38, 38-68, > 68) or 'unclassified'"
    )
    median_usd_per_th: Series[float] = usd_per_th(
        "Median asking price per TH/s of the month's listings; missing if none", nullable=True
    )
    listings: Series[int] = count("Number of dealer listings")

    class Config:
        ordered = True
        unique = ["month", "efficiency_class"]

    @pa.dataframe_check(name="median_only_with_listings")
    def median_only_with_listings(cls, df: pd.DataFrame) -> Series[bool]:
        return df["median_usd_per_th"].notna() == (df["listings"] > 0)


class AsicPriceIndexQuotes(Model):
    """Hashrate Index ASIC Price Index values quoted in press, by efficiency class.

    The rows of asic_listings without a vendor; the class is parsed from the series
    text. Dates are as stated or assigned in the raw table's note. Key: (date,
    efficiency_class).
    """

    date: Series[pd.Timestamp] = pa.Field(
        ge=ASIC_PRICES_START, le=STUDY_END, description="Date stated or assigned"
    )
    efficiency_class: Series[str] = one_of(
        EFFICIENCY_BANDS, "Hashrate Index band (J/TH: < 38, 38-68, > 68)"
    )
    usd_per_th: Series[float] = usd_per_th("Quoted index value")
    note: Series[str] = pa.Field(description="How the value and its date were obtained")

    class Config:
        ordered = True
        unique = ["date", "efficiency_class"]
