"""The declared window of each raw table that is a time series (CCAF's months, Coin
Metrics' days): every period of it must be present, unless a gap is named with why."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field

import pandas as pd

from mining_report.vocabularies import (
    CCAF_COUNTRIES,
    CCAF_COUNTRY_MONTHS,
    CCAF_PROVINCE_MONTHS,
    CCAF_PROVINCES,
    DAILY_END,
    DAILY_START,
    PROVINCE_MISSING_MONTHS,
)


@dataclass(frozen=True)
class SeriesWindow:
    """A table that is a time series: every period of its window must be present.

    ``end`` is the least the snapshot must cover; later periods are allowed, and
    then must be complete up to the last one.

    ``by`` names the column whose every value in ``members`` must have every period;
    ``gaps`` lists the (period, member) pairs missing as published, each with why.
    """

    column: str
    freq: str  # "MS" for months, "D" for days
    start: pd.Timestamp
    end: pd.Timestamp
    by: str | None = None
    members: tuple[str, ...] = ()
    gaps: dict[tuple[str, str], str] = dc_field(default_factory=dict)

    def expected(self, last: pd.Timestamp | None = None) -> pd.DatetimeIndex:
        """Every period from the start to the declared end, or to ``last`` if later
        (a refreshed series may run on, without a gap)."""
        end = self.end if last is None or pd.isna(last) else max(self.end, last)
        return pd.date_range(self.start, end, freq=self.freq)


#: Raw table → its declared window. Completeness is checked at validation, before any
#: table is derived; a missing period is an error unless it is a named gap here.
SERIES_WINDOWS: dict[str, SeriesWindow] = {
    "cbeci_countries": SeriesWindow(
        "date", "MS", *CCAF_COUNTRY_MONTHS, by="country", members=tuple(CCAF_COUNTRIES)
    ),
    "cbeci_provinces": SeriesWindow(
        "date",
        "MS",
        *CCAF_PROVINCE_MONTHS,
        by="province",
        members=CCAF_PROVINCES,
        gaps=PROVINCE_MISSING_MONTHS,
    ),
    "coinmetrics_btc_daily": SeriesWindow("date", "D", DAILY_START, DAILY_END),
}
