"""Machines moved out of China (the FT's survey) and the conflict ledger."""

from __future__ import annotations

import pandas as pd

from mining_report.formatting import day_text, number, percent
from mining_report.numbers.common import (
    CONFLICTS,
    COUNT,
    DAY,
    DESTINATIONS,
    EXPORTS,
    TEXT,
    _is,
    merge,
)
from mining_report.numbers.lineage import Format, pick, quote
from mining_report.vocabularies import FT_HEADLINE_FIGURE, FT_TRACKED_FIGURE, ORDINALS


def machine_numbers(
    machine_exports: pd.DataFrame,
    machine_exports_by_destination: pd.DataFrame,
    source_conflicts: pd.DataFrame,
) -> dict[str, str]:
    """The FT's totals, the top destinations and the size of the conflict ledger.

    A destination's share divides an "at least" count by an "over" total, so it is
    quoted as a whole percent, to be read "about".
    """
    figures = machine_exports.set_index("figure_id")["machines"]
    ranked = machine_exports_by_destination.dropna(subset=["machines"]).sort_values("rank")
    tracked = pick(EXPORTS, "machines", where=[_is("figure_id", FT_TRACKED_FIGURE)])
    out = {
        "ft_machines_moved": quote(
            number(figures[FT_HEADLINE_FIGURE]),
            "the machines the Financial Times survey counted as moved out of China",
            pick(EXPORTS, "machines", where=[_is("figure_id", FT_HEADLINE_FIGURE)]), fmt=COUNT,
        ),
        "tracked_machines": quote(
            number(figures[FT_TRACKED_FIGURE]),
            "the machines the survey tracked to a destination", tracked, fmt=COUNT,
        ),
        "conflict_count": quote(
            number(len(source_conflicts)), "the number of conflicts in the ledger",
            pick(CONFLICTS, "conflict_id", op="count"), fmt=COUNT, filter="every conflict",
        ),
    }  # fmt: skip
    for position, slug in enumerate(("top", "second", "third")):
        row = ranked.iloc[position]
        at_rank = [("rank", "==", int(row["rank"])), ("machines", "notna")]
        place = ORDINALS[position + 1]
        out[f"{slug}_destination"] = quote(
            str(row["destination_country"]),
            f"the {place} destination by machines counted",
            pick(DESTINATIONS, "destination_country", where=at_rank),
            fmt=TEXT,
        )
        out[f"{slug}_destination_machines"] = quote(
            number(row["machines"]),
            f"the machines counted for the {place} destination",
            pick(DESTINATIONS, "machines", where=at_rank),
            fmt=COUNT,
        )
        # From the counts, not from share_of_tracked_pct: one rounding only.
        tracked_share = row["machines"] / figures[FT_TRACKED_FIGURE] * 100
        out[f"{slug}_destination_share"] = quote(
            percent(float(tracked_share), 0),
            f"the {place} destination's machines as a percent of those tracked",
            pick(DESTINATIONS, "machines", where=at_rank),
            tracked,
            combine="ratio",
            fmt=Format(kind="percent", decimals=0),
        )
    # Destinations named without a count: alone at their rank, or sharing one (unordered).
    uncounted = machine_exports_by_destination[machine_exports_by_destination["machines"].isna()]
    sizes = uncounted.groupby("rank")["destination_country"].transform("size")
    alone = uncounted[sizes == 1].sort_values("rank")
    shared = uncounted[sizes > 1].sort_values("destination_country")
    if not alone.empty:
        rows = [("machines", "isna"), ("rank", "==", int(alone["rank"].iloc[0]))]
        out["ranked_uncounted"] = quote(
            str(alone["destination_country"].iloc[0]),
            "the destination named alone at its rank without a count",
            pick(DESTINATIONS, "destination_country", where=rows),
            fmt=TEXT,
        )
        out["ranked_uncounted_rank"] = quote(
            ORDINALS[int(alone["rank"].iloc[0])],
            "its rank among the destinations",
            pick(DESTINATIONS, "rank", where=rows),
            fmt=Format(kind="ordinal"),
        )
    shared_rows = [("machines", "isna"), ("rank", "in", sorted({int(r) for r in shared["rank"]}))]
    out["unordered_destinations"] = quote(
        " and ".join(shared["destination_country"]),
        "the destinations named at a shared rank, without counts or an order",
        pick(DESTINATIONS, "destination_country", op="list", where=shared_rows,
             order=["destination_country"]),
        fmt=Format(kind="and_list"),
    )  # fmt: skip
    return out


def disputed_day_numbers(source_conflicts: pd.DataFrame) -> dict[str, str]:
    """For a measure whose day the sources dispute, the other day and who gives it.

    ``day_e09_disputed`` and ``day_e09_disputed_by`` come from the ledger row whose
    first claim is event E09's announcement day and whose second is a date.
    """
    out: dict[str, str] = {}
    for row in source_conflicts.itertuples():
        ref, other_unit = str(row.claim_a_ref), str(row.claim_b_unit)
        if not (ref.startswith("events:") and other_unit.startswith("date")):
            continue
        slug = "day_" + ref.split(":", 1)[1].lower()
        mine = [_is("conflict_id", row.conflict_id)]
        out[f"{slug}_disputed"] = quote(
            day_text(pd.Timestamp(row.claim_b_value)),
            f"the other day the sources give for the measure of {slug.removeprefix('day_')}",
            pick(CONFLICTS, "claim_b_value", where=mine),
            fmt=DAY,
        )
        out[f"{slug}_disputed_by"] = quote(
            str(row.claim_b_source).split(",", 1)[0],
            "the outlet that gives the other day",
            pick(CONFLICTS, "claim_b_source", where=mine),
            fmt=Format(kind="outlet"),
        )
    return out


def machines_group(
    machine_exports: pd.DataFrame,
    machine_exports_by_destination: pd.DataFrame,
    source_conflicts: pd.DataFrame,
) -> dict[str, str]:
    """The FT's totals, the top destinations and the conflict ledger."""
    return merge(
        machine_numbers(machine_exports, machine_exports_by_destination, source_conflicts),
        disputed_day_numbers(source_conflicts),
    )
