"""(7) What mining machines cost: asking price per TH/s by efficiency class."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from mining_report.charts.common import SAID, SOURCE_ROW, _iso, _title, said, with_source
from mining_report.charts.style import BLUE, DASHES, ORANGE, theme
from mining_report.formatting import month_text


def _asking_words(row: dict[str, Any]) -> str:
    """What a screen reader says for one month and class of dealer listings."""
    head = f"Machines {row['efficiency_class']}, {month_text(row['month'])}: "
    if pd.isna(row["median_usd_per_th"]):
        return head + "no listings"
    count = int(row["listings"])
    return head + (
        f"median asking price {row['median_usd_per_th']:,.2f} USD per TH/s from {count:,} "
        + ("listing" if count == 1 else "listings")
    )


def asic_prices(asic_prices: pd.DataFrame) -> alt.TopLevelMixin:
    """(7) Monthly median asking price per TH/s by efficiency class, the gap left empty."""
    classes = ["under 38 J/TH", "38-68 J/TH", "over 68 J/TH"]
    chosen = asic_prices[asic_prices["efficiency_class"].isin(classes)]
    data = _iso(chosen, "month").assign(
        source_row=[
            f"ASIC prices table: {efficiency}, {month_text(month)} ({count:,} listings)"
            for efficiency, month, count in zip(
                chosen["efficiency_class"], chosen["month"], chosen["listings"], strict=True
            )
        ],
        description=said(chosen, _asking_words),
    )
    per_month = asic_prices.groupby("month")["listings"].sum()
    empty = per_month[per_month == 0].index
    gap = pd.DataFrame(
        {
            "start": [f"{empty.min():%Y-%m-%d}"],
            "end": [f"{empty.max() + pd.offsets.MonthEnd(1):%Y-%m-%d}"],
            "label": ["no listings"],
        }
    )
    first, last = month_text(data["month"].min()), month_text(data["month"].max())
    band = alt.Chart(gap).mark_rect(color="#eeeeee", aria=False).encode(x="start:T", x2="end:T")
    band_text = (
        alt.Chart(gap)
        .mark_text(
            align="left", baseline="top", dx=4, dy=4, fontSize=10, color="#555555", aria=False
        )
        .encode(x="start:T", y=alt.value(0), text="label:N")
    )
    lines = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=2, invalid="break-paths-show-domains")
        .encode(
            x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
            y=alt.Y("median_usd_per_th:Q", title="Median asking price (USD per TH/s)"),
            color=alt.Color(
                "efficiency_class:N",
                title="Efficiency",
                sort=classes,
                scale=alt.Scale(domain=classes, range=[BLUE, ORANGE, "#999999"]),
            ),
            strokeDash=alt.StrokeDash(
                "efficiency_class:N",
                title="Efficiency",
                sort=classes,
                scale=alt.Scale(domain=classes, range=DASHES[: len(classes)]),
            ),
            tooltip=[
                alt.Tooltip("efficiency_class:N", title="Efficiency class"),
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("median_usd_per_th:Q", title="Median (USD per TH/s)", format=".2f"),
                alt.Tooltip("listings:Q", title="Listings"),
                SOURCE_ROW,
            ],
            description=SAID,
        )
    )
    chart = (band + band_text + lines).properties(
        title=_title(
            "What mining machines cost",
            f"Median dealer asking price per TH/s by efficiency class, monthly, {first} to "
            f"{last}; shaded: months without listings. Source: asics-tools dealer listings",
        ),
        description=(
            "Line chart of the monthly median asking price of mining machines in USD per "
            f"TH/s for three efficiency classes, {first} to {last}, with the months that "
            "have no listings left empty and shaded. " + _asking_finding(data, classes[0])
        ),
    )
    return theme(
        with_source(
            chart, "ASIC prices", "three efficiency classes, every month " + f"{first} to {last}"
        )
    )


def _asking_finding(data: pd.DataFrame, efficient: str) -> str:
    """The first and last median asking price of the most efficient class, in words."""
    rows = data[(data["efficiency_class"] == efficient) & data["median_usd_per_th"].notna()]
    rows = rows.sort_values("month")
    first, last = rows.iloc[0], rows.iloc[-1]
    return (
        f"The median asking price of machines {efficient} went from "
        f"{first['median_usd_per_th']:,.2f} USD per TH/s in {month_text(first['month'])} to "
        f"{last['median_usd_per_th']:,.2f} in {month_text(last['month'])}."
    )
