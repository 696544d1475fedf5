"""Cleaned tables: pure functions from validated raw tables to research tables."""

from __future__ import annotations

import pandas as pd

from .schemas import HashrateByCountry
from .vocabularies import CCAF_COUNTRIES, COUNTRIES


def hashrate_by_country(cbeci_countries: pd.DataFrame) -> pd.DataFrame:
    """Monthly hashrate share and EH/s by country, with CCAF's labels normalized.

    Figures are carried over unchanged; only names and column labels change.
    Rows are sorted by month, then by the country order of :data:`COUNTRIES`.
    """
    table = pd.DataFrame(
        {
            "month": cbeci_countries["date"],
            "country": cbeci_countries["country"].map(CCAF_COUNTRIES),
            "share_pct": cbeci_countries["share_pct"],
            "hashrate_ehs": cbeci_countries["abs_hashrate_ehs"],
        }
    )
    order = pd.Categorical(table["country"], categories=COUNTRIES, ordered=True)
    table = (
        table.assign(_order=order.codes)
        .sort_values(["month", "_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    return HashrateByCountry.validate(table)
