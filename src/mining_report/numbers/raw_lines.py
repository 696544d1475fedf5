"""The raw lines behind a row of a cleaned table: which raw CSV, which lines.

Line numbers are 1-based lines of the CSV file as a text editor shows them (the
header is line 1), counted by the csv module, so a quoted field spanning lines
still points at the line its record starts on. Each cleaned table has a mapping
from one of its rows to the raw records it was derived from:

- the CCAF tables 1:1, through CCAF's country labels as the derivation normalises them
  (a province row also needs China's row of that month, for its share of the world);
- a weekly row of the Coin Metrics series its 7 daily lines, a recovery row the weeks
  it names, a difficulty adjustment the days of the two epochs it separates;
- the press rows by their id; a stop-order day the orders announced by then and the
  baseline rows of the provinces they reached.
"""

from __future__ import annotations

import bisect
import csv
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from mining_report.derive.prices import classify_listings
from mining_report.derive.shutdowns import STOP_ORDERS, WHOLE_SCOPES
from mining_report.vocabularies import CCAF_COUNTRIES, CCAF_PROVINCES

#: CCAF's label of each normalised country name.
CCAF_LABELS = {name: label for label, name in CCAF_COUNTRIES.items()}


def read_with_lines(path: str | Path) -> pd.DataFrame:
    """A raw CSV as text, with the line each record starts on in column ``line``."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        records, starts = [], []
        previous = reader.line_num
        for record in reader:
            records.append(record)
            starts.append(previous + 1)
            previous = reader.line_num
    frame = pd.DataFrame(records, columns=header)
    frame["line"] = starts
    return frame


@dataclass
class RawIndex:
    """The raw tables, read once, and the cleaned tables a mapping may consult."""

    raw_csvs: Mapping[str, str]
    tables: Mapping[str, pd.DataFrame]
    baseline_month: pd.Timestamp
    _raw: dict[str, pd.DataFrame] = field(default_factory=dict)
    _lookups: dict[tuple[str, ...], dict[tuple[str, ...], list[int]]] = field(default_factory=dict)
    _listings: pd.DataFrame | None = None
    _exposure: dict[tuple[pd.Timestamp, int], dict[str, list[int]]] = field(default_factory=dict)

    def raw(self, table: str) -> pd.DataFrame:
        if table not in self._raw:
            self._raw[table] = read_with_lines(self.raw_csvs[table])
        return self._raw[table]

    def lines(self, table: str, **equal: str) -> list[int]:
        """The lines whose columns hold the given values (looked up, not scanned)."""
        columns = tuple(sorted(equal))
        lookup = self._lookups.get((table, *columns))
        if lookup is None:
            lookup = {}
            frame = self.raw(table)
            for key, line in zip(
                zip(*(frame[c] for c in columns), strict=True), frame["line"], strict=True
            ):
                lookup.setdefault(key, []).append(line)
            self._lookups[(table, *columns)] = lookup
        return list(lookup.get(tuple(equal[c] for c in columns), []))

    def stop_orders(self) -> pd.DataFrame:
        """Final bans and shutdown orders with an announcement day, that day parsed,
        in the order they were announced."""
        if "_stops" not in self._raw:
            events = self.raw("events")
            announced = pd.to_datetime(events["date_announced"].replace("", None))
            stops = events.assign(announced=announced)
            self._raw["_stops"] = stops[
                stops["measure"].isin(STOP_ORDERS) & (stops["stage"] == "final")
                & stops["announced"].notna()
            ].sort_values("announced", kind="stable")  # fmt: skip
        return self._raw["_stops"]

    def days(self, first: pd.Timestamp, last: pd.Timestamp) -> list[int]:
        """The lines of the days from ``first`` to ``last``, both included."""
        if "_days" not in self._raw:
            frame = self.raw("coinmetrics_btc_daily")
            self._raw["_days"] = pd.DataFrame(
                {"date": pd.to_datetime(frame["date"]), "line": frame["line"]}
            )
        days = self._raw["_days"]
        return days.loc[(days["date"] >= first) & (days["date"] <= last), "line"].tolist()


Lines = dict[str, list[int]]


def _iso(day: Any) -> str:
    return pd.Timestamp(day).strftime("%Y-%m-%d")


def _country(index: RawIndex, month: Any, country: str) -> list[int]:
    return index.lines("cbeci_countries", date=_iso(month), country=CCAF_LABELS[country])


def _province(index: RawIndex, month: Any, province: str) -> list[int]:
    return index.lines("cbeci_provinces", date=_iso(month), province=province)


def _week(index: RawIndex, monday: Any) -> list[int]:
    start = pd.Timestamp(monday)
    return index.days(start, start + pd.Timedelta(days=6))


def hashrate_by_country(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    return {"cbeci_countries": _country(index, row["month"], row["country"])}


def hashrate_by_province(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    return {
        "cbeci_provinces": _province(index, row["month"], row["province"]),
        "cbeci_countries": _country(index, row["month"], "China"),
    }


def hashrate_migration(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    table = index.tables["hashrate_migration"]
    before = table.loc[table["period"] == "before", "month"].iloc[0]
    months = sorted({pd.Timestamp(before), pd.Timestamp(row["month"])})
    return {"cbeci_countries": [n for m in months for n in _country(index, m, row["country"])]}


def _baseline(index: RawIndex, where: str) -> Lines:
    month = index.baseline_month
    if where == "national":
        return {"cbeci_countries": _country(index, month, "China")}
    if where in CCAF_PROVINCES:
        return {"cbeci_provinces": _province(index, month, where)}
    return {}


def shutdowns(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    return {"events": index.lines("events", event_id=row["event_id"])} | _baseline(
        index, row["jurisdiction"]
    )


def shutdown_exposure(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    stops = index.stop_orders()
    # The orders in force on a day are the first n by announcement, and every day
    # with the same n has the same lines: each n is worked out once.
    n = bisect.bisect_right(stops["announced"].array, pd.Timestamp(row["date"]))
    key = (pd.Timestamp(row["weights_month"]), n)
    if key not in index._exposure:
        index._exposure[key] = _exposure_lines(index, stops.iloc[:n], key[0])
    return {raw: list(lines) for raw, lines in index._exposure[key].items()}


def _exposure_lines(index: RawIndex, orders: pd.DataFrame, month: pd.Timestamp) -> Lines:
    out: Lines = {"events": orders["line"].tolist()}
    reached = set(orders["jurisdiction"])
    partial = set(orders.loc[~orders["scope"].isin(WHOLE_SCOPES), "jurisdiction"])
    provinces = sorted(where for where in reached if where in CCAF_PROVINCES)
    if any(where not in CCAF_PROVINCES and where != "national" for where in reached | partial):
        provinces.append("Other")
    lines = [n for where in provinces for n in _province(index, month, where)]
    if lines:
        out["cbeci_provinces"] = lines
    return out


def price_trends(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    return {"coinmetrics_btc_daily": _week(index, row["week_start"])}


def price_recovery(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    weeks = [row["base_week_start"], row["pre_ban_peak_week_start"], row["trough_week_start"]]
    recovered = str(row["recovered_by"])
    if not recovered.startswith("not by"):
        weeks.append(recovered)
    mondays = sorted({pd.Timestamp(w) for w in weeks if pd.notna(w)})
    return {"coinmetrics_btc_daily": [n for monday in mondays for n in _week(index, monday)]}


def difficulty_adjustments(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    """The days of the epoch before the adjustment and of the one it starts."""
    dates = sorted(index.tables["difficulty_adjustments"]["date"])
    day = pd.Timestamp(row["date"])
    position = dates.index(day)
    first = dates[position - 1] if position > 0 else pd.Timestamp.min
    last = (
        dates[position + 1] - pd.Timedelta(days=1)
        if position + 1 < len(dates)
        else pd.Timestamp.max
    )
    return {"coinmetrics_btc_daily": index.days(first, last)}


def asic_prices(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    listings = index._listings
    if listings is None:
        raw = index.raw("asic_listings")
        typed = raw.assign(
            date=pd.to_datetime(raw["date"]),
            hashrate_ths=pd.to_numeric(raw["hashrate_ths"]),
            vendor=raw["vendor"].replace("", None),
        )
        models = index.raw("asic_models")
        models = models.assign(
            hashrate_ths=pd.to_numeric(models["hashrate_ths"]),
            power_w=pd.to_numeric(models["power_w"]),
        )
        listings = classify_listings(typed, models)
        index._listings = listings
    month = pd.Timestamp(row["month"])
    mask = (listings["date"].dt.to_period("M") == month.to_period("M")) & (
        listings["efficiency_class"] == row["efficiency_class"]
    )
    return {"asic_listings": listings.loc[mask, "line"].tolist()}


def asic_price_index_quotes(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    """A quoted index value is the raw row of its day and tier (rows without a vendor)."""
    series = f"Hashrate Index ASIC Price Index: {row['efficiency_class']}"
    return {
        "asic_listings": index.lines(
            "asic_listings", date=_iso(row["date"]), series=series, vendor=""
        )
    }


def _figures(index: RawIndex, figure_ids: Iterable[str]) -> Lines:
    """Press figures by id: machine_flows (M..) with their annotation, if any, and
    published_figures (P..)."""
    ids = list(figure_ids)
    out: Lines = {}
    for table in ("machine_flows", "machine_flow_entities", "published_figures"):
        frame = index.raw(table)
        lines = frame.loc[frame["figure_id"].isin(ids), "line"].tolist()
        if lines:
            out[table] = lines
    if not out:
        raise ValueError(f"no press table holds the figures {', '.join(ids)}")
    return out


def machine_exports(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    return _figures(index, [row["figure_id"]])


def machine_exports_by_destination(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    ids = [part.strip() for part in str(row.get("figure_ids") or "").split(";") if part.strip()]
    return _figures(index, ids)


def source_conflicts(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    return {
        "conflicting_figures": index.lines("conflicting_figures", conflict_id=row["conflict_id"])
    }


def machine_flows(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    return {"machine_flows": index.lines("machine_flows", figure_id=row["figure_id"])}


def source_statements(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    return {"source_statements": index.lines("source_statements", statement_id=row["statement_id"])}


def raw_tables(index: RawIndex, row: Mapping[str, Any]) -> Lines:
    """A raw table's validation covers every one of its records."""
    return {str(row["table"]): index.raw(str(row["table"]))["line"].tolist()}


#: Table → its mapping from a row to raw lines.
MAPPINGS: dict[str, Callable[[RawIndex, Mapping[str, Any]], Lines]] = {
    "hashrate_by_country": hashrate_by_country,
    "hashrate_by_province": hashrate_by_province,
    "hashrate_migration": hashrate_migration,
    "shutdowns": shutdowns,
    "shutdown_exposure": shutdown_exposure,
    "price_trends": price_trends,
    "price_recovery": price_recovery,
    "difficulty_adjustments": difficulty_adjustments,
    "asic_prices": asic_prices,
    "asic_price_index_quotes": asic_price_index_quotes,
    "machine_exports": machine_exports,
    "machine_exports_by_destination": machine_exports_by_destination,
    "source_conflicts": source_conflicts,
    "machine_flows": machine_flows,
    "source_statements": source_statements,
    "raw_tables": raw_tables,
}


#: Rows with no raw line behind them: a month without any dealer listing (that is the
#: finding), a day before the first stop order.
MAY_HAVE_NO_LINES = {"asic_prices", "shutdown_exposure"}


def raw_lines(index: RawIndex, table: str, rows: pd.DataFrame) -> Lines:
    """Every raw line behind ``rows`` of ``table``, by raw table, sorted and unique."""
    mapping = MAPPINGS[table]
    found: dict[str, set[int]] = {}
    for row in rows.to_dict("records"):
        for raw, lines in mapping(index, row).items():
            if not lines and table not in MAY_HAVE_NO_LINES:
                raise ValueError(f"{table}: no line of {raw} behind the row {row}")
            found.setdefault(raw, set()).update(lines)
    return {raw: sorted(lines) for raw, lines in found.items() if lines}


#: Spans of lines written out at most; the rest are counted.
SHOWN_SPANS = 6


def line_ranges(lines: list[int]) -> str:
    """[124, 125, 126, 130] → 'lines 124–126, 130'; one line → 'line 124'; beyond
    SHOWN_SPANS spans, '… (N lines in all)'."""
    if not lines:
        return "no lines"
    spans: list[tuple[int, int]] = []
    for n in sorted(set(lines)):
        if spans and n == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], n)
        else:
            spans.append((n, n))
    text = ", ".join(f"{a}" if a == b else f"{a}\u2013{b}" for a, b in spans[:SHOWN_SPANS])
    if len(spans) > SHOWN_SPANS:
        text += f", \u2026 ({len(set(lines)):,} lines in all)"
    return ("line " if len(lines) == 1 else "lines ") + text
