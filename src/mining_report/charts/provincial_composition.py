"""(3) The provincial composition of China's hashrate (the seasonal swing)."""

from __future__ import annotations

import json

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
from mining_report.charts.style import CATEGORICAL, GREY, theme
from mining_report.formatting import NBSP, month_text


def provincial_composition(hashrate_by_province: pd.DataFrame) -> alt.TopLevelMixin:
    """(3) Each month's split of China's hashrate between provinces (bars: no interpolation)."""
    data = _iso(hashrate_by_province, "month")
    data = data[data.groupby("month")["share_of_china_pct"].transform("sum") > 0].copy()
    data["source_row"] = [
        f"CCAF province table: {province}, {month_text(month)}"
        for province, month in zip(data["province"], data["month"], strict=True)
    ]
    data["description"] = said(
        data,
        lambda r: (
            f"{r['province']}, {month_text(r['month'])}: {r['share_of_china_pct']:.2f}{NBSP}% of "
            f"China's hashrate, {r['share_of_global_pct']:.2f}{NBSP}% of the world's"
        ),
    )
    first, last = month_text(data["month"].min()), month_text(data["month"].max())
    provinces = (
        data.groupby("province")["share_of_china_pct"].mean().sort_values(ascending=False).index
    )
    order = [p for p in provinces if p != "Other"] + ["Other"]
    colours = dict(zip(order, CATEGORICAL[: len(order) - 1] + [GREY], strict=True))
    chart = (
        alt.Chart(data)
        .mark_bar(width={"band": 0.85})
        .encode(
            # A temporal axis (each bar spans its month) lets the chart fit its container.
            x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
            y=alt.Y("share_of_china_pct:Q", title="Share of China's hashrate (%)", stack="zero"),
            color=alt.Color(
                "province:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[colours[p] for p in order]),
            ),
            order=alt.Order("province_order:Q"),
            tooltip=[
                alt.Tooltip("province:N", title="Province"),
                SOURCE_ROW,
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("share_of_china_pct:Q", title="Share of China (%)", format=".2f"),
                alt.Tooltip("share_of_global_pct:Q", title="Share of world (%)", format=".2f"),
            ],
            description=SAID,
        )
        .transform_calculate(province_order=f"indexof({json.dumps(order)}, datum.province)")
        .properties(
            title=_title(
                "Where China's hashrate sat: the Sichuan–Xinjiang seasonal swing",
                f"Monthly share of China's hashrate by province, {first} to {last} "
                "(months with none attributed to China left out). " + SOURCE_CCAF,
            ),
            description=(
                f"Stacked bar chart of the provincial split of China's hashrate, {first} to "
                f"{last}: Sichuan's share rises in each summer wet season and Xinjiang's falls."
            ),
        )
    )
    return theme(
        with_source(
            chart, "hashrate by province", f"every province, {first} to {last}, months with a share"
        )
    )
