"""How numbers and dates read in the report: one style for every medium's text.

Percentages keep the two decimals CCAF publishes and sit after a non-breaking
space ("46.04 %"), so a line never breaks between a number and its unit; counts
have thousands separators; dates are "9 June 2021" and months "June 2021".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

#: Between a number and its unit: a line never breaks there.
NBSP = "\u00a0"


def day_text(day: pd.Timestamp | str) -> str:
    """'9 June 2021'."""
    day = pd.Timestamp(day)
    return f"{day.day} {day:%B %Y}"


def month_text(month: pd.Timestamp | str) -> str:
    """'June 2021'."""
    return f"{pd.Timestamp(month):%B %Y}"


def percent(value: float, decimals: int = 2) -> str:
    """'46.04 %' with a non-breaking space; shares keep CCAF's two decimals."""
    return f"{value:,.{decimals}f}{NBSP}%"


def number(value: float, decimals: int = 0) -> str:
    """'205,000' or '21.75': thousands separators, a fixed number of decimals."""
    return f"{value:,.{decimals}f}"


def with_unit(value: float, unit: str, decimals: int = 0) -> str:
    """'93.68 USD per TH/s': a number and its unit, joined by non-breaking spaces, so
    that no line ends inside them."""
    return f"{number(value, decimals)}{NBSP}{unit.replace(' ', NBSP)}"


def typographic(text: str) -> str:
    """Straight quotes as a typesetter sets them: ’ for an apostrophe, ‘…’ and “…”.

    An apostrophe inside a word (China's) or after one (miners') is a right single
    quote; a quote that opens before a word or number is a left one; the rest close.
    """
    text = re.sub(r"(?<=\w)'(?=\w)", "\u2019", text)
    text = re.sub(r"(^|[\s(\[])'(?=\S)", "\\1\u2018", text)
    text = text.replace("'", "\u2019")
    text = re.sub(r'(^|[\s(\[])"(?=\S)', "\\1\u201c", text)
    return text.replace('"', "\u201d")


# Values as a reader reads them (the report's tables and each number's lineage).
#: A whole number, a decimal, an ISO day and an ISO month, as text.
INTEGER = re.compile(r"^-?[0-9]+$")
DECIMAL = re.compile(r"^-?[0-9]+\.[0-9]+$")
ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
ISO_MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}$")


def reader_date(value: Any) -> str:
    """2026-11-22 -> "22 November 2026"; 2021-04 -> "April 2021"."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if ISO_MONTH.match(text):
        return month_text(text + "-01")
    return day_text(text[:10])


def reader_number(value: Any) -> str:
    """A number as the report prints it: 205000 -> "205,000", 1234.5 -> "1,234.5"."""
    text = str(value)
    if INTEGER.match(text):
        return f"{int(text):,}"
    if DECIMAL.match(text):
        whole, fraction = text.split(".")
        return f"{int(whole):,}.{fraction}"
    raise ValueError(f"not a number: {value!r}")


def reader_value(value: str) -> str:
    """A claim's value in reader form: numbers separated, dates in words, text as it is."""
    pair = re.fullmatch(r"([0-9]+) of ([0-9]+)", value)
    if pair:
        return f"{reader_number(pair[1])} of {reader_number(pair[2])}"
    if INTEGER.match(value) or DECIMAL.match(value):
        return reader_number(value)
    if ISO_DAY.match(value) or ISO_MONTH.match(value):
        return reader_date(value)
    return value
