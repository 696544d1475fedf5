"""The daily network table, computed from the Coin Metrics fields it comes from.

``btc_daily`` (price, hashrate, mean difficulty, miner revenue per UTC day) is not a
snapshot of its own: it is computed here, in the DAG, from the snapshot of Coin
Metrics' published fields (``coinmetrics_btc_daily``), so that refreshing those
fields refreshes it. The arithmetic is done in decimal on the published strings,
then rounded half-up as the table documents, so no binary rounding can move a cent.
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

#: Seconds per day and the 2^32 hashes per unit of difficulty (Bitcoin's definition).
SECONDS_PER_DAY = Decimal(86_400)
HASHES_PER_DIFFICULTY = Decimal(2**32)
TH = Decimal(10**12)
TH_PER_EH = Decimal(10**6)


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def daily_row(fields: dict[str, str]) -> dict[str, Decimal]:
    """One day's price, hashrate, mean difficulty and miner revenue from its fields.

    - price_usd = PriceUSD, to cents;
    - hashrate_ehs = HashRate [TH/s] / 10^6, to 1 TH/s;
    - difficulty = HashRate [TH/s] x 10^12 x 86,400 / (BlkCnt x 2^32), the mean
      difficulty of the day's blocks, to an integer;
    - miner_revenue_usd = IssTotUSD + FeeTotNtv x PriceUSD (Coin Metrics' RevUSD), to cents.
    """
    price = Decimal(fields["PriceUSD"])
    hashrate = Decimal(fields["HashRate_THs"])
    blocks = Decimal(fields["BlkCnt"])
    difficulty = hashrate * TH * SECONDS_PER_DAY / (blocks * HASHES_PER_DIFFICULTY)
    revenue = Decimal(fields["IssTotUSD"]) + Decimal(fields["FeeTotNtv"]) * price
    return {
        "price_usd": _round(price, 2),
        "hashrate_ehs": _round(hashrate / TH_PER_EH, 6),
        "difficulty": _round(difficulty, 0),
        "miner_revenue_usd": _round(revenue, 2),
    }


def btc_daily(source_fields_csv: str | Path) -> pd.DataFrame:
    """The daily network table from the (validated) Coin Metrics fields snapshot."""
    with Path(source_fields_csv).open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    if not records:
        raise ValueError(f"{source_fields_csv}: no rows")
    frame = pd.DataFrame([{"date": r["date"], **daily_row(r)} for r in records])
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    for column in ("price_usd", "hashrate_ehs", "difficulty", "miner_revenue_usd"):
        frame[column] = frame[column].map(float)
    return frame


def btc_daily_csv(frame: pd.DataFrame) -> str:
    """The table as CSV, numbers written to the places they were rounded to."""
    out = frame.assign(
        date=frame["date"].dt.strftime("%Y-%m-%d"),
        price_usd=frame["price_usd"].map("{:.2f}".format),
        hashrate_ehs=frame["hashrate_ehs"].map("{:.6f}".format),
        difficulty=frame["difficulty"].map("{:.0f}".format),
        miner_revenue_usd=frame["miner_revenue_usd"].map("{:.2f}".format),
    )
    return out.to_csv(index=False, lineterminator="\n")
