"""How numbers and dates read in the report: one style for every medium's text.

Percentages keep the two decimals CCAF publishes and sit after a non-breaking
space ("46.04 %"), so a line never breaks between a number and its unit; counts
have thousands separators; dates are "9 June 2021" and months "June 2021".
"""

from __future__ import annotations

import re

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
