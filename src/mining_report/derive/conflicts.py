"""The ledger of figures that disagree: each claim resolved to its value, unit and source.

A claim is a reference into a press table (a figure, an event's announcement day or
kind of measure) or into a cleaned table (one value, by key and column); see the
sidecar of data/raw/press/conflicting_figures.csv.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from mining_report.derive.conventions import field_unit, finalize, key_of
from mining_report.derive.machines import SEPARATOR
from mining_report.derive.models.conflicts import SourceConflicts
from mining_report.derive.models.hashrate import HashrateByCountry, HashrateByProvince
from mining_report.vocabularies import CITABLE_TABLES, PROJECT_CLASS

#: The cleaned tables a claim may cite (``CITABLE_TABLES``) → their models, which give
#: a cited value's key and unit.
CITED_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "hashrate_by_country": HashrateByCountry,
    "hashrate_by_province": HashrateByProvince,
}


@dataclass(frozen=True)
class Resolved:
    """What a claim reference points to."""

    value: str
    unit: str
    source: str


def _press_source(row: pd.Series) -> str:
    """ "<publisher>[, by <author>], <url>"; a seed claim without an address has none."""
    parts = [str(row["source_publisher"])]
    if pd.notna(row.get("source_author")):
        parts.append(f"by {row['source_author']}")
    if pd.notna(row.get("source_url")):
        parts.append(str(row["source_url"]))
    return ", ".join(parts)


def _number_text(value: object) -> str:
    return f"{round(float(value), 2):.2f}"


def _unit_of(column: pa.Column) -> str:
    """A cleaned column's unit with its description: percent (share of global hashrate)."""
    unit = field_unit(column) or ""
    description = column.description or ""
    if description[1:2].islower():
        description = description[:1].lower() + description[1:]
    return f"{unit} ({description})" if unit and description else unit or description


class _Resolver:
    def __init__(
        self,
        press: Mapping[str, pd.DataFrame],
        cleaned: Mapping[str, pd.DataFrame],
        models: Mapping[str, type[pa.DataFrameModel]],
        sources: Mapping[str, str],
    ) -> None:
        self.press, self.cleaned, self.models, self.sources = press, cleaned, models, sources

    def __call__(self, ref: str) -> Resolved:
        table, _, rest = ref.partition(":")
        if table == "machine_flows" or table == "published_figures":
            row = self._one(self.press[table], "figure_id", rest, ref)
            return Resolved(str(row["value"]), str(row["unit"]), _press_source(row))
        if table == "events":
            event_id, _, column = rest.partition(":")
            row = self._one(self.press[table], "event_id", event_id, ref)
            if column == "measure":
                # The project's kind of measure, as words: "shutdown_order" -> "shutdown order".
                # Its class, not the source's wording: the unit says so.
                return Resolved(
                    str(row["measure"]).replace("_", " "),
                    PROJECT_CLASS,
                    _press_source(row),
                )
            if pd.isna(row["date_announced"]):
                raise ValueError(f"{ref}: the event has no date_announced to compare")
            day = pd.Timestamp(row["date_announced"]).strftime("%Y-%m-%d")
            return Resolved(day, "date announced", _press_source(row))
        if table in CITABLE_TABLES:
            return self._cleaned(table, rest, ref)
        raise ValueError(f"{ref}: unknown table {table!r}")

    @staticmethod
    def _one(frame: pd.DataFrame, id_column: str, figure_id: str, ref: str) -> pd.Series:
        rows = frame[frame[id_column] == figure_id]
        if len(rows) != 1:
            raise ValueError(f"{ref}: resolves to nothing ({id_column} {figure_id} not found)")
        return rows.iloc[0]

    def _cleaned(self, table: str, rest: str, ref: str) -> Resolved:
        if table not in self.cleaned or table not in self.models:
            raise ValueError(f"{ref}: table {table} was not given to the ledger")
        frame, model = self.cleaned[table], self.models[table]
        key = key_of(model)
        parts = rest.split(":")
        if len(parts) != len(key) + 1:
            raise ValueError(f"{ref}: expected {table}:{':'.join(key)}:<column>")
        *values, column = parts
        if column not in frame.columns or column in key:
            raise ValueError(f"{ref}: {table} has no value column {column!r}")
        mask = pd.Series(True, index=frame.index)
        for name, text in zip(key, values, strict=True):
            if pd.api.types.is_datetime64_any_dtype(frame[name]):
                try:
                    wanted: object = pd.Timestamp(text)
                except ValueError as err:
                    raise ValueError(f"{ref}: {text!r} is not a date") from err
            else:
                wanted = text
            mask &= frame[name] == wanted
        rows = frame.loc[mask, column]
        if len(rows) != 1 or pd.isna(rows.iloc[0]):
            raise ValueError(f"{ref}: resolves to nothing in {table}")
        if table not in self.sources:
            raise ValueError(f"{ref}: no source recorded for {table}")
        unit = _unit_of(model.to_schema().columns[column])
        return Resolved(_number_text(rows.iloc[0]), unit, self.sources[table])


def citable_sources(snapshot_sources: Mapping[str, str]) -> dict[str, str]:
    """Cleaned table -> its source: the raw snapshots it comes from, as their sidecars name them."""
    return {
        table: SEPARATOR.join(snapshot_sources[raw] for raw in raws if raw in snapshot_sources)
        for table, raws in CITABLE_TABLES.items()
    }


def source_conflicts(
    ledger: pd.DataFrame,
    machine_flows: pd.DataFrame,
    events: pd.DataFrame,
    published_figures: pd.DataFrame,
    hashrate_by_country: pd.DataFrame,
    hashrate_by_province: pd.DataFrame,
    snapshot_sources: Mapping[str, str],
    models: Mapping[str, type[pa.DataFrameModel]] | None = None,
) -> pd.DataFrame:
    """The conflict ledger with each claim resolved to its value, unit and source.

    ``ledger`` is the raw conflicting_figures.csv. ``snapshot_sources`` maps a raw
    snapshot to how its sidecar names it ("<title> (<author>)"); cleaned tables are
    credited to the snapshots they come from. ``models`` (default:
    :data:`CITED_MODELS`) give a cleaned table's key and units. Raises ValueError
    naming every reference that resolves to nothing.
    """
    if models is None:
        models = CITED_MODELS
    resolve = _Resolver(
        press={
            "machine_flows": machine_flows,
            "events": events,
            "published_figures": published_figures,
        },
        cleaned={
            "hashrate_by_country": hashrate_by_country,
            "hashrate_by_province": hashrate_by_province,
        },
        models=models,
        sources={t: s for t, s in citable_sources(snapshot_sources).items() if s},
    )
    columns: dict[str, list[str]] = {name: [] for name in SourceConflicts.to_schema().columns}
    problems = []
    for row in ledger.itertuples(index=False):
        resolved = {}
        for side in ("a", "b"):
            ref = getattr(row, f"claim_{side}")
            try:
                resolved[side] = resolve(ref)
            except ValueError as err:
                problems.append(f"{row.conflict_id} claim_{side}: {err}")
        if problems:
            continue
        columns["conflict_id"].append(row.conflict_id)
        columns["topic"].append(row.topic)
        for side in ("a", "b"):
            columns[f"claim_{side}_ref"].append(getattr(row, f"claim_{side}"))
            columns[f"claim_{side}_value"].append(resolved[side].value)
            columns[f"claim_{side}_unit"].append(resolved[side].unit)
            columns[f"claim_{side}_source"].append(resolved[side].source)
        columns["used"].append(row.used)
        columns["why"].append(row.why)
    if problems:
        raise ValueError("source_conflicts: unresolved claim(s):\n  " + "\n  ".join(problems))
    return finalize(pd.DataFrame(columns), SourceConflicts)
