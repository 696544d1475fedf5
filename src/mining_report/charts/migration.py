"""(8) The migration: each country's share before, with China at zero, and latest."""

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
from mining_report.charts.style import BLUE, VERMILLION, theme
from mining_report.formatting import NBSP, month_text


def migration(hashrate_migration: pd.DataFrame) -> alt.TopLevelMixin:
    """(8) Each country's share before the crackdown, with China at zero, and latest."""
    data = _iso(hashrate_migration, "month")
    words = {"before": "baseline", "exodus": "China at zero", "latest": "latest"}
    labels = {
        period: f"{month_text(month)}, {words[period]}"
        for period, month in data.groupby("period")["month"].first().items()
    }
    data["moment"] = data["period"].map(labels)
    data["source_row"] = [
        f"CCAF country table: {country}, {month_text(month)}"
        for country, month in zip(data["country"], data["month"], strict=True)
    ]
    data["description"] = said(
        data,
        lambda r: f"{r['country']}, {r['moment']}: {r['share_pct']:.2f}{NBSP}% of global hashrate",
    )
    order = data[data["period"] == "latest"].sort_values("share_pct", ascending=False)["country"]
    moments = [labels[p] for p in ("before", "exodus", "latest")]
    base = alt.Chart(data).encode(y=alt.Y("country:N", title=None, sort=list(order)))
    span = base.mark_rule(color="#bbbbbb", strokeWidth=2, aria=False).encode(
        x=alt.X("min(share_pct):Q"), x2="max(share_pct):Q"
    )
    points = base.mark_circle(size=110, opacity=0.95).encode(
        x=alt.X("share_pct:Q", title="Share of global hashrate (%)"),
        color=alt.Color(
            "moment:N",
            title=None,
            sort=moments,
            scale=alt.Scale(domain=moments, range=["#999999", VERMILLION, BLUE]),
        ),
        tooltip=[
            alt.Tooltip("country:N", title="Country"),
            SOURCE_ROW,
            alt.Tooltip("moment:N", title="Moment"),
            alt.Tooltip("share_pct:Q", title="Share (%)", format=".2f"),
            alt.Tooltip("hashrate_ehs:Q", title="Hashrate (EH/s)", format=".2f"),
            alt.Tooltip("share_change_pts:Q", title="Change since before (points)", format="+.2f"),
            alt.Tooltip("hashrate_change_ehs:Q", title="Change since before (EH/s)", format="+.2f"),
        ],
        description=SAID,
    )
    chart = (span + points).properties(
        title=_title(
            "The great mining migration",
            "Share of global hashrate at three moments. " + SOURCE_CCAF,
        ),
        description=(
            "Dot chart of each country's share of global hashrate at three moments: "
            + "; ".join(moments)
            + "; countries sorted by their latest share. "
            + _migration_finding(hashrate_migration)
        ),
    )
    return theme(
        with_source(
            chart, "hashrate migration", "every country at the three moments: " + "; ".join(moments)
        )
    )


def _migration_finding(hashrate_migration: pd.DataFrame) -> str:
    """The country whose share rose most between the first and the latest moment."""
    latest = hashrate_migration[
        (hashrate_migration["period"] == "latest") & (hashrate_migration["country"] != "Other")
    ].sort_values("share_change_pts", ascending=False)
    top = latest.iloc[0]
    before = top["share_pct"] - top["share_change_pts"]
    name = "The United States'" if top["country"] == "United States" else f"{top['country']}'s"
    return f"{name} share rose most, from {before:.2f}{NBSP}% to {top['share_pct']:.2f}{NBSP}%."
