"""Pandera models of the Coin Metrics daily network data: the fields as transcribed
(the snapshot), and the daily table computed from them (price, hashrate, difficulty,
miner revenue)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from mining_report.model_checks import Model, coin_metrics_day, ehs, table_check
from mining_report.raw.models.ranges import (
    BLOCKS_PER_DAY,
    BTC_USD,
    DIFFICULTY,
    FEES_BTC,
    ISSUANCE_USD,
    MAX_DAY_TO_WEEK_RATIO,
    MINER_REVENUE_USD,
    NETWORK_EHS,
)
from mining_report.vocabularies import DAILY_START


class BtcDailyRaw(Model):
    """Coin Metrics daily network data: price, hashrate, difficulty, miner revenue.

    Not a snapshot: computed from ``coinmetrics_btc_daily`` (``network.btc_daily``)
    and checked with this model before the price tables read it.
    """

    date: Series[pd.Timestamp] = coin_metrics_day(unique=True)
    price_usd: Series[float] = pa.Field(**BTC_USD)
    hashrate_ehs: Series[float] = ehs(**NETWORK_EHS)
    difficulty: Series[float] = pa.Field(**DIFFICULTY)
    miner_revenue_usd: Series[float] = pa.Field(**MINER_REVENUE_USD)

    @table_check("every_day_once_in_order", about="date")
    def every_day_once_in_order(cls, df: pd.DataFrame) -> Series[bool]:
        expected = pd.date_range(DAILY_START, periods=len(df), freq="D")
        return pd.Series(df["date"].to_numpy() == expected.to_numpy(), index=df.index)

    @pa.check("difficulty", name="whole_number")
    def whole_difficulty(cls, difficulty: Series[float]) -> Series[bool]:
        return difficulty == difficulty.round()


class CoinmetricsBtcDailyRaw(Model):
    """Coin Metrics' daily BTC network metrics, as published: the fields btc_daily is
    computed from."""

    date: Series[pd.Timestamp] = coin_metrics_day(unique=True)
    BlkCnt: Series[float] = pa.Field(**BLOCKS_PER_DAY)
    FeeTotNtv: Series[float] = pa.Field(**FEES_BTC)
    # Coin Metrics' TH/s: the network range above, times a million.
    HashRate_THs: Series[float] = pa.Field(ge=NETWORK_EHS["ge"] * 1e6, le=NETWORK_EHS["le"] * 1e6)
    IssTotUSD: Series[float] = pa.Field(**ISSUANCE_USD)
    PriceUSD: Series[float] = pa.Field(**BTC_USD)

    @pa.check("HashRate_THs", "PriceUSD", "IssTotUSD", name="within_3x_of_its_week")
    def within_3x_of_its_week(cls, values: Series[float]) -> Series[bool]:
        week = values.rolling(7, center=True, min_periods=3).median()
        ratio = values / week
        return (ratio <= MAX_DAY_TO_WEEK_RATIO) & (ratio >= 1 / MAX_DAY_TO_WEEK_RATIO)
