"""Pandera models of the ASIC tables: miner specifications (hashrate and power per
model), and dated dealer asking prices and quoted price-index values per TH/s."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from mining_report.model_checks import Model, press_date, table_check, text
from mining_report.raw.models.ranges import ASIC_THS, ASIC_USD, ASIC_USD_PER_TH, ASIC_WATTS


class AsicModelsRaw(Model):
    """ASIC miner specifications: hashrate and power per model."""

    maker: Series[str] = text(2)
    model: Series[str] = text(2)
    hashrate_ths: Series[float] = pa.Field(**ASIC_THS)
    power_w: Series[float] = pa.Field(**ASIC_WATTS)
    release: Series[str] = pa.Field(str_matches=r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$", nullable=True)
    brand_as_listed: Series[str] = text(2)
    source: Series[str] = text(5)

    class Config:
        # Two models appear twice with different specs, as published: hashrate tells them apart.
        unique = ["maker", "model", "hashrate_ths"]


class AsicListingsRaw(Model):
    """Dated ASIC dealer listings (asking prices) and quoted price-index values, in USD per TH/s."""

    date: Series[pd.Timestamp] = press_date(nullable=False)
    series: Series[str] = text(2)
    price_usd_per_th: Series[float] = pa.Field(**ASIC_USD_PER_TH)
    price_usd: Series[float] = pa.Field(nullable=True, **ASIC_USD)
    hashrate_ths: Series[float] = pa.Field(nullable=True, **ASIC_THS)
    vendor: Series[str] = pa.Field(nullable=True)
    source: Series[str] = text(5)
    note: Series[str] = text(2)

    @table_check("price_per_th_is_price_over_hashrate", about="price_usd_per_th")
    def price_per_th(cls, df: pd.DataFrame) -> Series[bool]:
        listed = df["price_usd"].notna() & df["hashrate_ths"].notna()
        computed = df["price_usd"] / df["hashrate_ths"]
        # The snapshot rounds USD/TH to cents.
        return ~listed | ((computed - df["price_usd_per_th"]).abs() <= 0.0051)
