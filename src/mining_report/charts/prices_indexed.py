"""(5) BTC price and hashprice indexed to the base week."""

from __future__ import annotations

import altair as alt
import pandas as pd

from mining_report.charts.common import (
    SAID,
    SOURCE_COINMETRICS,
    SOURCE_ROW,
    _iso,
    _lowest_week,
    _title,
    in_study_window,
    said,
    with_source,
)
from mining_report.charts.style import BLUE, DASHES, ORANGE, theme
from mining_report.formatting import day_text


def prices_indexed(price_trends: pd.DataFrame) -> alt.TopLevelMixin:
    """(5) BTC price and hashprice indexed to the base week (= 100)."""
    price_trends = in_study_window(price_trends, "week_start")
    names = {"btc_close_index": "BTC closing price", "hashprice_index": "Hashprice"}
    base = price_trends.loc[price_trends["btc_close_index"] == 100, "week_start"].iloc[0]
    data = _iso(price_trends, "week_start").melt(
        id_vars=["week_start"], value_vars=list(names), var_name="series", value_name="index"
    )
    data["series"] = data["series"].map(names)
    data["source_row"] = [
        f"Weekly price table: week of {day_text(week)} (Coin Metrics, seven daily rows)"
        for week in data["week_start"]
    ]
    data["description"] = said(
        data,
        lambda r: (
            f"{r['series']}, week of {day_text(r['week_start'])}: {r['index']:,.1f} "
            f"(week of {day_text(base)} = 100)"
        ),
    )
    first, last = data["week_start"].min(), data["week_start"].max()
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("week_start:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
            y=alt.Y("index:Q", title=f"Index, week of {day_text(base)} = 100"),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(names.values()), range=[ORANGE, BLUE]),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(names.values()), range=DASHES[:2]),
            ),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("week_start:T", title="Week of", format="%-d %B %Y"),
                alt.Tooltip("index:Q", title="Index", format=".1f"),
                SOURCE_ROW,
            ],
            description=SAID,
        )
    )
    hundred = (
        alt.Chart(pd.DataFrame({"y": [100]})).mark_rule(color="#888888", aria=False).encode(y="y:Q")
    )
    week = (
        alt.Chart(pd.DataFrame({"x": [f"{base:%Y-%m-%d}"]}))
        .mark_rule(color="#c0392b", strokeDash=[3, 3], aria=False)
        .encode(x="x:T")
    )
    chart = (hundred + week + lines).properties(
        title=_title(
            "Bitcoin's price and miners' revenue per unit of hashrate",
            f"Weekly, indexed to the week of {day_text(base)} = 100, {day_text(first)} to "
            f"{day_text(last)}. "
            "Hashprice: miner revenue per TH/s per day. " + SOURCE_COINMETRICS,
        ),
        description=(
            "Line chart of Bitcoin's weekly closing price and hashprice, both indexed to "
            f"100 in the week of {day_text(base)}, from {day_text(first)} to {day_text(last)}. "
            + _lowest_week(price_trends, "btc_close_index", "the price's index", "")
            + " "
            + _lowest_week(price_trends, "hashprice_index", "the hashprice's index", "")
        ),
    )
    return theme(
        with_source(
            chart, "price trends (weekly)", "price and hashprice indices, every complete week"
        )
    )
