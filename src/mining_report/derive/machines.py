"""Mining machines leaving China: the reported counts and the FT destination table
(the ledger of figures that disagree is in ``conflicts.py``).

Every number here comes from a raw table by its id; the code only normalizes,
joins and divides. Which figures make the FT destination table is the documented
constant ``FT_DESTINATIONS`` below, not a number typed in code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from mining_report.derive.conventions import finalize
from mining_report.derive.models.machines import MachineExports, MachineExportsByDestination
from mining_report.vocabularies import CONFIDENCE_LEVELS, DESTINATION_COUNTRIES

#: A machine count is a machine_flows row whose unit starts with this word.
MACHINE_UNIT = "machines"

#: A count printed as "N of M" (seed 004's "205000 of 430000", M06).
PAIR = r"^(\d+) of (\d+)$"

#: How items of a list are joined in a cleaned table's text column.
SEPARATOR = " ; "


# --- machine_exports ---------------------------------------------------------------


def unit_qualifier(unit: str) -> str | None:
    """The qualifier of a machine-count unit: "machines ('at least')" -> "at least".

    The text in the parentheses after "machines", without the quotes when the whole
    qualifier is one quotation; a unit that goes on without parentheses ("machines or
    inquiries (meaning disputed)") keeps the rest as it is; a bare "machines" has none.
    """
    rest = unit[len(MACHINE_UNIT) :].strip()
    if not rest:
        return None
    bracketed = re.fullmatch(r"\((.*)\)", rest)
    text = bracketed.group(1) if bracketed else rest
    quoted = re.fullmatch(r"'([^']*)'", text)
    return quoted.group(1) if quoted else text


def machine_counts(machine_flows: pd.DataFrame) -> pd.DataFrame:
    """The machine-count rows of machine_flows (unit starting with "machines")."""
    return machine_flows[machine_flows["unit"].str.startswith(MACHINE_UNIT)]


def check_annotations(machine_flows: pd.DataFrame, machine_flow_entities: pd.DataFrame) -> None:
    """Every machine count has exactly one annotation, and every annotation a machine count."""
    counts = set(machine_counts(machine_flows)["figure_id"])
    figures = set(machine_flows["figure_id"])
    annotated = machine_flow_entities["figure_id"]
    problems = []
    missing = sorted(counts - set(annotated))
    if missing:
        problems.append(f"machine counts without an annotation: {', '.join(missing)}")
    unknown = sorted(set(annotated) - figures)
    if unknown:
        problems.append(f"annotations of figures not in machine_flows: {', '.join(unknown)}")
    not_counts = sorted((set(annotated) & figures) - counts)
    if not_counts:
        problems.append(
            f"annotations of figures that are not machine counts: {', '.join(not_counts)}"
        )
    repeated = sorted(set(annotated[annotated.duplicated()]))
    if repeated:
        problems.append(f"figures annotated more than once: {', '.join(repeated)}")
    if problems:
        raise ValueError(
            "machine_flow_entities does not match machine_flows: " + "; ".join(problems)
        )


def ledger_figures(ledger: pd.DataFrame, table: str) -> set[str]:
    """Ids of ``table`` cited as a claim of the conflict ledger ("machine_flows:M06")."""
    claims = pd.concat([ledger["claim_a"], ledger["claim_b"]])
    prefix = f"{table}:"
    return {ref[len(prefix) :] for ref in claims if ref.startswith(prefix)}


def parse_counts(figures: pd.DataFrame) -> pd.DataFrame:
    """Each figure's count as an integer, and whether it was printed "N of M"."""
    pair = figures["value"].str.extract(PAIR)[0]
    text = pair.where(pair.notna(), figures["value"])
    number = pd.to_numeric(text, errors="coerce")
    bad = figures.loc[number.isna() | (number < 0) | (number != number.round()), "figure_id"]
    if not bad.empty:
        raise ValueError(f"machine counts that are not whole numbers: {', '.join(sorted(bad))}")
    return pd.DataFrame(
        {"machines": number.astype("Int64"), "first_of_pair": pair.notna()}, index=figures.index
    )


def machine_exports(
    machine_flows: pd.DataFrame, machine_flow_entities: pd.DataFrame, ledger: pd.DataFrame
) -> pd.DataFrame:
    """Every machine count from machine_flows with its annotation and ledger status.

    ``ledger`` is the raw conflict ledger (conflicting_figures.csv). Raises ValueError
    naming the ids when a machine count has no annotation or an annotation no count.
    """
    check_annotations(machine_flows, machine_flow_entities)
    figures = machine_counts(machine_flows)
    counts = parse_counts(figures)
    table = pd.DataFrame(
        {
            "figure_id": figures["figure_id"],
            "date_reported": figures["date_reported"],
            "metric": figures["metric"],
            "machines": counts["machines"],
            "first_of_pair": counts["first_of_pair"],
            "qualifier": figures["unit"].map(unit_qualifier),
            "confidence": figures["confidence"],
            "source_publisher": figures["source_publisher"],
            "source_url": figures["source_url"],
            "in_conflict_ledger": figures["figure_id"].isin(
                ledger_figures(ledger, "machine_flows")
            ),
        }
    )
    annotations = machine_flow_entities[["figure_id", "destination_country", "company", "flow"]]
    table = table.merge(annotations, on="figure_id", how="left", validate="one_to_one")
    return finalize(table, MachineExports)


# --- machine_exports_by_destination -------------------------------------------------


@dataclass(frozen=True)
class DestinationFigures:
    """Which figures make a destination table, by id (never the numbers themselves)."""

    #: machine_flows id of the machines tracked to any destination (the share's base).
    tracked_total: str
    #: machine_flows ids of machine counts by destination (country from the annotation).
    counts: tuple[str, ...]
    #: machine_flows ids of ranks without a count (unit "rank"; country in entity).
    ranks: tuple[str, ...]
    #: published_figures ids listing destinations named after the last rank, unordered.
    named_after: tuple[str, ...]


#: The FT's country breakdown of November 2021 as relayed (see the machine_flows
#: sidecar): 430,000 machines tracked (M03); Russia (M04), Kazakhstan (M09) and the
#: United States (M13) with counts; Canada fourth (M15); then Paraguay and Venezuela,
#: named without counts or order (P02).
FT_DESTINATIONS = DestinationFigures(
    tracked_total="M03",
    counts=("M04", "M09", "M13"),
    ranks=("M15",),
    named_after=("P02",),
)


def weakest(levels: Iterable[str]) -> str:
    """The least certain of some confidence levels (confirmed < single source < uncertain)."""
    return max(levels, key=CONFIDENCE_LEVELS.index)


def _row(frame: pd.DataFrame, id_column: str, figure_id: str, table: str) -> pd.Series:
    rows = frame[frame[id_column] == figure_id]
    if len(rows) != 1:
        raise ValueError(f"{table}: figure {figure_id} not found (or not unique)")
    return rows.iloc[0]


def _whole(value: str, figure_id: str) -> int:
    number = pd.to_numeric(value, errors="coerce")
    if pd.isna(number) or number != round(number) or number < 0:
        raise ValueError(f"machine_flows: figure {figure_id} is not a whole number: {value!r}")
    return int(number)


def _country(name: str, figure_id: str) -> str:
    if name not in DESTINATION_COUNTRIES:
        raise ValueError(f"figure {figure_id}: {name!r} is not a destination country")
    return name


def machine_exports_by_destination(
    machine_flows: pd.DataFrame,
    machine_flow_entities: pd.DataFrame,
    published_figures: pd.DataFrame,
    figures: DestinationFigures = FT_DESTINATIONS,
) -> pd.DataFrame:
    """The destination table named by ``figures``: counts, ranks and shares by country."""
    flows = machine_flows.set_index("figure_id", drop=False)
    entities = machine_flow_entities.set_index("figure_id", drop=False)
    total = _row(flows, "figure_id", figures.tracked_total, "machine_flows")
    if not total["unit"].startswith(MACHINE_UNIT):
        raise ValueError(f"machine_flows: {figures.tracked_total} is not a machine count")
    tracked = _whole(total["value"], figures.tracked_total)

    records = []
    for figure_id in figures.counts:
        row = _row(flows, "figure_id", figure_id, "machine_flows")
        if not row["unit"].startswith(MACHINE_UNIT):
            raise ValueError(f"machine_flows: {figure_id} is not a machine count")
        if figure_id not in entities.index or pd.isna(
            entities.loc[figure_id, "destination_country"]
        ):
            raise ValueError(f"machine_flow_entities: {figure_id} names no destination_country")
        machines = _whole(row["value"], figure_id)
        records.append(
            {
                "destination_country": entities.loc[figure_id, "destination_country"],
                "machines": machines,
                "qualifier": unit_qualifier(row["unit"]),
                # Of an approximate total ("over 430,000"): no finer than a whole percent.
                "share_of_tracked_pct": round(machines / tracked * 100),
                "ids": [figure_id, figures.tracked_total],
                "levels": [row["confidence"], total["confidence"]],
            }
        )
    counted = pd.Series([r["machines"] for r in records], dtype="float64")
    for record, rank in zip(records, counted.rank(method="min", ascending=False), strict=True):
        record["rank"] = int(rank)

    for figure_id in figures.ranks:
        row = _row(flows, "figure_id", figure_id, "machine_flows")
        if row["unit"] != "rank":
            raise ValueError(f"machine_flows: {figure_id} is not a rank (unit {row['unit']!r})")
        rank = _whole(row["value"], figure_id)
        if any(record["rank"] >= rank for record in records):
            raise ValueError(
                f"machine_flows: {figure_id} ranks {row['entity']} {rank}, not after the "
                "destinations already ranked"
            )
        records.append(
            {
                "destination_country": _country(row["entity"], figure_id),
                "machines": None,
                "qualifier": None,
                "share_of_tracked_pct": None,
                "rank": rank,
                "ids": [figure_id],
                "levels": [row["confidence"]],
            }
        )

    for figure_id in figures.named_after:
        row = _row(published_figures, "figure_id", figure_id, "published_figures")
        last = max(records, key=lambda r: r["rank"]) if records else None
        for name in row["value"].split("; "):
            records.append(
                {
                    "destination_country": _country(name.strip(), figure_id),
                    "machines": None,
                    "qualifier": None,
                    "share_of_tracked_pct": None,
                    "rank": last["rank"] + 1 if last else 1,
                    "ids": [*(last["ids"][:1] if last else []), figure_id],
                    "levels": [*(last["levels"][:1] if last else []), row["confidence"]],
                }
            )

    table = pd.DataFrame(
        {
            "destination_country": [r["destination_country"] for r in records],
            "machines": pd.array([r["machines"] for r in records], dtype="Int64"),
            "qualifier": [r["qualifier"] for r in records],
            "rank": [r["rank"] for r in records],
            "share_of_tracked_pct": pd.array(
                [r["share_of_tracked_pct"] for r in records], dtype="Float64"
            ).astype("float64"),
            "figure_ids": [SEPARATOR.join(sorted(set(r["ids"]))) for r in records],
            "confidence": [weakest(r["levels"]) for r in records],
        }
    )
    repeated = sorted(
        set(table.loc[table["destination_country"].duplicated(), "destination_country"])
    )
    if repeated:
        raise ValueError(f"destinations given by more than one figure: {', '.join(repeated)}")
    return finalize(table, MachineExportsByDestination)
