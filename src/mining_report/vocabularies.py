"""Controlled vocabularies shared by the schemas and the derivations."""

from __future__ import annotations

import pandas as pd

#: The study window: the first CCAF month to the last day of the Coin Metrics series.
STUDY_START = pd.Timestamp("2019-09-01")
STUDY_END = pd.Timestamp("2022-06-30")

#: CCAF's country labels (asterisks and official names as published) → the names we report.
CCAF_COUNTRIES: dict[str, str] = {
    "Mainland China": "China",
    "United States": "United States",
    "Kazakhstan": "Kazakhstan",
    "Russian Federation": "Russia",
    "Canada": "Canada",
    "Malaysia": "Malaysia",
    "Iran, Islamic Rep.": "Iran",
    "Germany *": "Germany",
    "Ireland *": "Ireland",
    "Other": "Other",
}

#: Normalized country names, in the order tables list them.
COUNTRIES: tuple[str, ...] = tuple(CCAF_COUNTRIES.values())
