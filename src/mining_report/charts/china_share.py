"""(2) China's monthly share of global hashrate against the main destinations."""

from __future__ import annotations

import altair as alt
import pandas as pd

from mining_report.charts.common import (
    SAID,
    SOURCE_CCAF,
    SOURCE_ROW,
    _iso,
    _title,
    said,
    with_source,
)
from mining_report.charts.style import DASHES, PALETTE, theme
from mining_report.formatting import NBSP, day_text, month_text


def crackdown_window(shutdowns: pd.DataFrame) -> tuple[str, str]:
    """From the first national policy statement to the first national ban."""
    national = shutdowns[shutdowns["jurisdiction"] == "national"].dropna(subset=["date_announced"])
    start = national.loc[national["measure"] == "policy_statement", "date_announced"].min()
    end = national.loc[national["measure"] == "ban", "date_announced"].min()
    if pd.isna(start) or pd.isna(end):
        raise ValueError("no national policy statement or ban to mark the crackdown window")
    return f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"


def _window_band(start: str, end: str, label: str = "crackdown") -> alt.Chart:
    band = pd.DataFrame({"start": [start], "end": [end], "label": [label]})
    rect = (
        alt.Chart(band)
        .mark_rect(color="#f2d7d5", opacity=0.6, aria=False)
        .encode(x="start:T", x2="end:T")
    )
    text = (
        alt.Chart(band)
        .mark_text(
            align="left", baseline="top", dx=3, dy=3, fontSize=10, color="#922b21", aria=False
        )
        .encode(x="start:T", y=alt.value(0), text="label:N")
    )
    return rect + text


def china_share(
    hashrate_by_country: pd.DataFrame,
    shutdowns: pd.DataFrame,
    countries: tuple[str, ...] = ("China", "United States", "Kazakhstan", "Russia"),
) -> alt.TopLevelMixin:
    """(2) China's monthly share of global hashrate against the main destinations."""
    chosen = hashrate_by_country[hashrate_by_country["country"].isin(countries)]
    data = _iso(chosen, "month").assign(
        source_row=[
            f"CCAF country table: {country}, {month_text(month)}"
            for country, month in zip(chosen["country"], chosen["month"], strict=True)
        ],
        description=said(
            chosen,
            lambda r: (
                f"{r['country']}, {month_text(r['month'])}: {r['share_pct']:.2f}{NBSP}% of "
                f"global hashrate, {r['hashrate_ehs']:.2f} EH/s"
            ),
        ),
    )
    first, last = month_text(data["month"].min()), month_text(data["month"].max())
    start, end = crackdown_window(shutdowns)
    window = f"{day_text(start)} to {day_text(end)}"
    lines = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=18), strokeWidth=2)
        .encode(
            x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
            y=alt.Y("share_pct:Q", title="Share of global hashrate (%)"),
            color=alt.Color(
                "country:N",
                title=None,
                sort=list(countries),
                scale=alt.Scale(domain=list(countries), range=[PALETTE[c] for c in countries]),
            ),
            strokeDash=alt.StrokeDash(
                "country:N",
                title=None,
                sort=list(countries),
                scale=alt.Scale(domain=list(countries), range=DASHES[: len(countries)]),
            ),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("share_pct:Q", title="Share of global hashrate (%)", format=".2f"),
                alt.Tooltip("hashrate_ehs:Q", title="Hashrate (EH/s)", format=".2f"),
                SOURCE_ROW,
            ],
            description=SAID,
        )
    )
    chart = with_source(
        _window_band(start, end) + lines,
        "hashrate by country",
        f"{', '.join(countries)}, {first} to {last}",
    ).properties(
        title=_title(
            "China's share of Bitcoin hashrate against the main destinations",
            f"Monthly share of global hashrate, {first} to {last}; shaded: {window}. "
            + SOURCE_CCAF,
        ),
        description=(
            "Line chart of the monthly share of global Bitcoin hashrate for "
            + ", ".join(countries)
            + f" from {first} to {last}, with the crackdown window {window} shaded. "
            + _china_finding(hashrate_by_country)
        ),
    )
    return theme(chart)


def _china_finding(hashrate_by_country: pd.DataFrame) -> str:
    """China's share at the start, its first month at zero, and at the end, in words."""
    china = hashrate_by_country[hashrate_by_country["country"] == "China"].sort_values("month")
    zero = china[china["share_pct"] == 0]
    text = f"China's share went from {china['share_pct'].iloc[0]:.2f}{NBSP}% in "
    text += f"{month_text(china['month'].iloc[0])}"
    if not zero.empty:
        text += f" to zero in {month_text(zero['month'].iloc[0])}"
    return text + (
        f" and was {china['share_pct'].iloc[-1]:.2f}{NBSP}% in "
        f"{month_text(china['month'].iloc[-1])}."
    )
