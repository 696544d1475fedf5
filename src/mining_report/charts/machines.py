"""(6) Where the machines went: by destination and by company, confidence shown."""

from __future__ import annotations

import altair as alt
import pandas as pd

from mining_report.charts.common import SAID, SOURCE_ROW, _title, said, with_source
from mining_report.charts.style import CONFIDENCE_COLOURS, theme
from mining_report.formatting import NBSP
from mining_report.vocabularies import FT_TRACKED_FIGURE, ORDINALS


def rejected_claims(source_conflicts: pd.DataFrame) -> set[str]:
    """Figure ids the conflict ledger sets aside (the side not used)."""
    rejected = set()
    for _, row in source_conflicts.iterrows():
        for side, other in (("a", "b"), ("b", "a")):
            if row["used"] == other:
                ref = str(row[f"claim_{side}_ref"])
                if ref.startswith("machine_flows:"):
                    rejected.add(ref.split(":", 1)[1])
    return rejected


def _bounded(machines: int, qualifier: object) -> str:
    """A count with the bound its source puts on it: 'at least 205,000'."""
    return f"{machines:,}" if pd.isna(qualifier) else f"{qualifier} {machines:,}"


def machines(
    machine_exports: pd.DataFrame,
    machine_exports_by_destination: pd.DataFrame,
    source_conflicts: pd.DataFrame,
) -> alt.TopLevelMixin:
    """(6) Machines moved out of China, by destination and by company, confidence shown."""
    rejected = rejected_claims(source_conflicts)
    tracked = machine_exports.set_index("figure_id").loc[FT_TRACKED_FIGURE, "machines"]
    destinations = machine_exports_by_destination.dropna(subset=["machines"])
    # A destination's bar is as well attested as its own count; the share of the
    # tracked total (in its detail) also rests on that total.
    level = machine_exports.set_index("figure_id")["confidence"]
    own = destinations["figure_ids"].map(
        lambda ids: level.get(
            next(i for i in ids.split(" ; ") if i.startswith("M") and i != FT_TRACKED_FIGURE),
            None,
        )
    )
    dest = pd.DataFrame(
        {
            "label": destinations["destination_country"] + ": all companies",
            "group": "By destination (Financial Times survey)",
            "machines": destinations["machines"].astype(int),
            "confidence": own.fillna(destinations["confidence"]),
            "detail": destinations["machines"].map(
                lambda n: (
                    f"about {n / tracked * 100:.0f}{NBSP}% of the more than "
                    f"{tracked:,.0f} machines tracked"
                )
            ),
            "source_row": "Machines by destination: "
            + destinations["destination_country"]
            + " (Financial Times survey, as relayed)",
        }
    )
    dest["qualifier"] = destinations["qualifier"]
    moved = machine_exports[
        machine_exports["flow"].isin(["left China", "arrived abroad"])
        & machine_exports["company"].notna()
        & ~machine_exports["figure_id"].isin(rejected)
    ]
    companies = pd.DataFrame(
        {
            "label": moved["company"]
            + " to "
            + moved["destination_country"].fillna("an unnamed country"),
            "group": "By company",
            "machines": moved["machines"].astype(int),
            "confidence": moved["confidence"],
            "detail": moved["metric"],
            "source_row": "Press figures: " + moved["source_publisher"] + ", " + moved["metric"],
            "reported": moved["date_reported"].map(
                lambda day: "report undated" if pd.isna(day) else f"reported {day:%b %Y}"
            ),
        }
    )
    companies["qualifier"] = moved["qualifier"]
    data = pd.concat([dest, companies], ignore_index=True)
    # One bar per count: a company with two counts (two reports, two moments) gets two
    # bars, each named by its report, never one bar of their sum.
    twice = data["label"].duplicated(keep=False)
    data.loc[twice, "label"] = data.loc[twice, "label"] + " (" + data.loc[twice, "reported"] + ")"
    data["description"] = said(
        data,
        lambda r: (
            f"{r['label']}: {_bounded(r['machines'], r['qualifier'])} machines ({r['detail']}); "
            f"attested by: {r['confidence']}"
        ),
    )
    data = data.sort_values(["group", "machines"], ascending=[False, False])
    order = data["label"].tolist()
    unranked = machine_exports_by_destination[machine_exports_by_destination["machines"].isna()]
    sizes = unranked.groupby("rank")["destination_country"].transform("size")
    alone = ", ".join(
        f"{row.destination_country} ranked {ORDINALS.get(int(row.rank), row.rank)}"
        for row in unranked[sizes == 1].sort_values("rank").itertuples()
    )
    shared = " and ".join(
        unranked[sizes > 1].sort_values("destination_country")["destination_country"]
    )
    named = "; ".join(
        part for part in (alone, f"{shared} named after, in no order" if shared else "") if part
    )
    levels = list(CONFIDENCE_COLOURS)
    largest = data.loc[data["machines"].idxmax()]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            x=alt.X("machines:Q", title="Machines", stack=None),
            color=alt.Color(
                "confidence:N",
                title="Figure attested by",
                scale=alt.Scale(domain=levels, range=[CONFIDENCE_COLOURS[c] for c in levels]),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Figure"),
                alt.Tooltip("machines:Q", title="Machines", format=","),
                alt.Tooltip("confidence:N", title="Confidence"),
                alt.Tooltip("detail:N", title="What it counts"),
                SOURCE_ROW,
            ],
            description=SAID,
        )
        .properties(
            height=alt.Step(18),
            title=_title(
                "Where the machines went",
                "Machines reported moved out of China or set up abroad during the crackdown: "
                "destination totals from the Financial Times survey, then company figures. "
                "Without a count: "
                f"{named}. Figures the conflict ledger sets aside are left out.",
            ),
            description=(
                f"Bar chart of {len(data)} reported machine counts; the largest is "
                f"{largest['label']}, {_bounded(largest['machines'], largest['qualifier'])}: "
                + "; ".join(
                    f"{row['label']}: {_bounded(row['machines'], row['qualifier'])}"
                    for row in data.to_dict("records")
                )
            ),
        )
    )
    return theme(
        with_source(
            chart, "machine exports and machines by destination", f"the {len(data)} counts drawn"
        )
    )
