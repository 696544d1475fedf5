"""What the figures share: source lines, the tooltip's source row, what a screen
reader says, titles, the data link's text, ISO dates and the study window."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd

from mining_report.formatting import NBSP, day_text
from mining_report.vocabularies import STUDY_START

SOURCE_CCAF = "Source: Cambridge Centre for Alternative Finance (CCAF), Bitcoin Mining Map"
SOURCE_COINMETRICS = "Source: Coin Metrics community data (CC BY-NC 4.0)"
SOURCE_ROW = alt.Tooltip("source_row:N", title="Source row")
#: What a screen reader says for one mark: the data's own ``description`` column,
#: written in the words of the axes and legends (without it, Vega-Lite would read
#: out field names).
SAID = alt.Description("description:N")


def said(frame: pd.DataFrame, words: Callable[[dict[str, Any]], str]) -> list[str]:
    """The ``description`` of each row (what a screen reader says for its mark)."""
    return [words(row) for row in frame.to_dict("records")]


def with_source(chart: alt.TopLevelMixin, tables: str, rows: str) -> alt.TopLevelMixin:
    """Say, in the spec's usermeta, which cleaned tables and rows the chart draws: the
    report prints it as the text of the chart's data link."""
    plural = "s" if " and " in tables else ""
    return chart.properties(usermeta={"data_source": f"the {tables} table{plural}, {rows}"})


def _title(text: str, subtitle: str) -> alt.Title:
    """A title with its subtitle wrapped to lines that fit the print width."""
    return alt.Title(text, subtitle=textwrap.wrap(subtitle, width=92))


def _iso(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Dates as ISO strings, so specs are stable and readable."""
    out = frame.copy()
    for column in columns:
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out


def in_study_window(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows from the start of the study window on: charts show the crackdown years, not
    a longer history, and run to the end of the data (a refreshed series included)."""
    return frame[frame[column] >= STUDY_START]


def _lowest_week(weekly: pd.DataFrame, column: str, what: str, unit: str) -> str:
    """The lowest week of a series after its base week (index 100), in words."""
    base = weekly.loc[weekly["btc_close_index"] == 100, "week_start"].iloc[0]
    after = weekly[weekly["week_start"] > base]
    low = after.loc[after[column].idxmin()]
    return (
        f"After the base week of {day_text(base)}, {what} was lowest in the week of "
        f"{day_text(low['week_start'])}, at {low[column]:,.1f}{NBSP + unit if unit else ''}."
    )
