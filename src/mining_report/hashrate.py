"""Where the hashrate was: cleaned CCAF tables by country and by province."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .tables import finalize
from .vocabularies import CCAF_COUNTRIES, COUNTRIES, STUDY_END, STUDY_START


class HashrateByCountry(pa.DataFrameModel):
    """Monthly share of global hashrate and hashrate by country, names normalized.

    Units: ``share_pct`` in percent of global hashrate; ``hashrate_ehs`` in EH/s
    (monthly average). Key: (month, country).
    """

    month: Series[pd.Timestamp] = pa.Field(
        ge=STUDY_START, le=STUDY_END, description="First day of the month"
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
