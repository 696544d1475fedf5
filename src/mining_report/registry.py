"""Every cleaned table, every chart and every group of numbers of the report,
declared once.

The Snakefile builds one generic derive rule, one generic chart rule and one generic
numbers rule from these entries, and the package resolves them (``catalog``, the data
dictionary, the lineage of each number). A cleaned table is one entry here, the function that
derives it and its model: nothing else names it.

An input is where an argument of the function comes from:

- ``raw("events")``: a raw table, as validated (``data/interim/events.parquet``);
- ``cleaned("hashrate_by_country")``: another cleaned table;
- ``DAILY``: the daily network table computed from the Coin Metrics fields.

An option is a keyword argument taken from the config: a dotted key
(``"analysis.baseline_month"``) or a function of the whole config.

This module imports nothing heavier than the standard library: the Snakefile reads
it on every run, including a no-op one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

PACKAGE = "mining_report"


@dataclass(frozen=True)
class Source:
    """Where one input of a derivation or chart comes from."""

    kind: str  # "raw", "cleaned" or "daily"
    name: str

    @property
    def path(self) -> str:
        folder = "data/processed" if self.kind == "cleaned" else "data/interim"
        return f"{folder}/{self.name}.parquet"


def raw(table: str) -> Source:
    return Source("raw", table)


def cleaned(table: str) -> Source:
    return Source("cleaned", table)


#: The daily network table (rule btc_daily), computed from the Coin Metrics fields.
DAILY = Source("daily", "btc_daily")

#: The raw table the daily network table is computed from.
DAILY_SOURCE = "coinmetrics_btc_daily"

Option = str | Callable[[Mapping[str, Any]], Any]


class _Options:
    """An entry whose function takes keyword arguments from the config."""

    options: Mapping[str, Option]

    def option_values(self, config: Mapping[str, Any]) -> dict[str, Any]:
        return {name: config_value(config, option) for name, option in self.options.items()}


@dataclass(frozen=True)
class Table(_Options):
    """A cleaned table: ``derive`` and ``model`` are "module:name" in the package."""

    name: str
    about: str
    derive: str
    model: str
    inputs: Mapping[str, Source]
    options: Mapping[str, Option] = field(default_factory=dict)
    #: Waits for CCAF's EH/s to agree with Coin Metrics' hashrate (the cross-check).
    checked: bool = False


@dataclass(frozen=True)
class Chart:
    """A chart of the report: ``draw`` is "module:name" in the package."""

    name: str
    about: str
    draw: str
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class Numbers(_Options):
    """A group of the numbers the report's prose quotes, computed by one job with the
    lineage of each: ``compute`` is "module:name" in the package, called with the
    ``inputs`` (each named after its argument), the ``options`` and, where
    ``validations`` is set, every raw table's validation record and sidecar."""

    name: str
    about: str
    compute: str
    inputs: Mapping[str, Source]
    options: Mapping[str, Option] = field(default_factory=dict)
    validations: bool = False

    def raw_tables(self, every: Iterable[str]) -> list[str]:
        """The raw tables its numbers come from, whose lines and sources they name: of
        ``every`` raw table, all where the group reports on the validation of all."""
        if self.validations:
            return sorted(every)
        found: set[str] = set()
        for source in self.inputs.values():
            found.update([source.name] if source.kind == "raw" else raw_sources(source.name))
        return sorted(found)


def config_value(config: Mapping[str, Any], option: Option) -> Any:
    if callable(option):
        return option(config)
    value: Any = config
    for key in option.split("."):
        value = value[key]
    return value


def _migration_months(config: Mapping[str, Any]) -> dict[str, str]:
    analysis = config["analysis"]
    return {"before": analysis["baseline_month"], **analysis["migration_months"]}


def _snapshot_sources(config: Mapping[str, Any]) -> dict[str, str]:
    # Named, as every function here, not imported: this module is below the stages.
    return resolve("raw.provenance:snapshot_sources")(config["raw_tables"])


_TABLES = [
    Table(
        "hashrate_by_country",
        "Monthly share of global hashrate and EH/s by country, names normalized.",
        derive="derive.hashrate:hashrate_by_country",
        model="derive.models.hashrate:HashrateByCountry",
        inputs={"cbeci_countries": raw("cbeci_countries")},
        checked=True,
    ),
    Table(
        "hashrate_by_province",
        "Province shares of China's hashrate, also as shares of global hashrate.",
        derive="derive.hashrate:hashrate_by_province",
        model="derive.models.hashrate:HashrateByProvince",
        inputs={
            "cbeci_provinces": raw("cbeci_provinces"),
            "hashrate_by_country": cleaned("hashrate_by_country"),
        },
    ),
    Table(
        "hashrate_migration",
        "Each country in the baseline month, with China at zero, and latest.",
        derive="derive.hashrate:hashrate_migration",
        model="derive.models.hashrate:HashrateMigration",
        inputs={"hashrate_by_country": cleaned("hashrate_by_country")},
        options={"months": _migration_months},
    ),
    Table(
        "shutdowns",
        "Every crackdown measure with its jurisdiction's hashrate share in the baseline month.",
        derive="derive.shutdowns:shutdowns",
        model="derive.models.shutdowns:Shutdowns",
        inputs={
            "events": raw("events"),
            "hashrate_by_province": cleaned("hashrate_by_province"),
            "hashrate_by_country": cleaned("hashrate_by_country"),
        },
        options={"baseline_month": "analysis.baseline_month"},
    ),
    Table(
        "shutdown_exposure",
        "Day by day, the share of China's baseline hashrate certainly and at most under "
        "a stop order.",
        derive="derive.shutdowns:shutdown_exposure",
        model="derive.models.shutdowns:ShutdownExposure",
        inputs={
            "events": raw("events"),
            "hashrate_by_province": cleaned("hashrate_by_province"),
        },
        options={
            "year": "analysis.exposure_year",
            "baseline_month": "analysis.baseline_month",
        },
    ),
    Table(
        "price_trends",
        "Weekly BTC close, 7-day hashrate and difficulty, hashprice; indices and drawdowns.",
        derive="derive.prices:price_trends",
        model="derive.models.network:PriceTrends",
        inputs={"btc_daily": DAILY},
        options={"base_week": "analysis.base_week"},
        checked=True,
    ),
    Table(
        "price_recovery",
        "Per weekly series: base value, pre-ban peak, trough and weeks back to base.",
        derive="derive.prices:price_recovery",
        model="derive.models.network:PriceRecovery",
        inputs={"btc_daily": DAILY},
        options={"base_week": "analysis.base_week"},
        checked=True,
    ),
    Table(
        "difficulty_adjustments",
        "Difficulty adjustments found in the daily mean difficulty.",
        derive="derive.prices:difficulty_adjustments",
        model="derive.models.network:DifficultyAdjustments",
        inputs={"btc_daily": DAILY},
        checked=True,
    ),
    Table(
        "asic_prices",
        "Monthly median dealer asking price per TH/s by efficiency class, every month x class.",
        derive="derive.prices:asic_prices_by_class",
        model="derive.models.prices:AsicPrices",
        inputs={"asic_listings": raw("asic_listings"), "asic_models": raw("asic_models")},
    ),
    Table(
        "asic_price_index_quotes",
        "The Hashrate Index ASIC Price Index values quoted in press, by efficiency class.",
        derive="derive.prices:asic_price_index_quotes",
        model="derive.models.prices:AsicPriceIndexQuotes",
        inputs={"asic_listings": raw("asic_listings")},
    ),
    Table(
        "machine_exports",
        "Every machine count in machine_flows, with its destination, company and flow.",
        derive="derive.machines:machine_exports",
        model="derive.models.machines:MachineExports",
        inputs={
            "machine_flows": raw("machine_flows"),
            "machine_flow_entities": raw("machine_flow_entities"),
            "ledger": raw("conflicting_figures"),
        },
    ),
    Table(
        "machine_exports_by_destination",
        "The FT's November 2021 breakdown of machines by destination country.",
        derive="derive.machines:machine_exports_by_destination",
        model="derive.models.machines:MachineExportsByDestination",
        inputs={
            "machine_flows": raw("machine_flows"),
            "machine_flow_entities": raw("machine_flow_entities"),
            "published_figures": raw("published_figures"),
        },
    ),
    Table(
        "source_conflicts",
        "The conflict ledger with every claim resolved to its value, unit and source.",
        derive="derive.conflicts:source_conflicts",
        model="derive.models.conflicts:SourceConflicts",
        inputs={
            "ledger": raw("conflicting_figures"),
            "machine_flows": raw("machine_flows"),
            "events": raw("events"),
            "published_figures": raw("published_figures"),
            "hashrate_by_country": cleaned("hashrate_by_country"),
            "hashrate_by_province": cleaned("hashrate_by_province"),
        },
        options={"snapshot_sources": _snapshot_sources},
    ),
]

_CHARTS = [
    Chart(
        "crackdown_timeline",
        "The crackdown timeline by jurisdiction, with each measure's exposure.",
        draw="charts.crackdown_timeline:crackdown_timeline",
        inputs=("shutdowns",),
    ),
    Chart(
        "china_share",
        "China's share of global hashrate against the main destinations, monthly.",
        draw="charts.china_share:china_share",
        inputs=("hashrate_by_country", "shutdowns"),
    ),
    Chart(
        "provincial_composition",
        "The provincial composition of China's hashrate (the seasonal swing).",
        draw="charts.provincial_composition:provincial_composition",
        inputs=("hashrate_by_province",),
    ),
    Chart(
        "migration",
        "Each country's share in the baseline month, with China at zero, and latest.",
        draw="charts.migration:migration",
        inputs=("hashrate_migration",),
    ),
    Chart(
        "network_hashrate",
        "Network hashrate with the main measures and the July 2021 difficulty drop.",
        draw="charts.network_hashrate:network_hashrate",
        inputs=("price_trends", "shutdowns", "difficulty_adjustments"),
    ),
    Chart(
        "prices_indexed",
        "BTC price and hashprice indexed to the pre-ban week.",
        draw="charts.prices_indexed:prices_indexed",
        inputs=("price_trends",),
    ),
    Chart(
        "asic_prices",
        "ASIC USD per TH by efficiency class, with the data gap visible.",
        draw="charts.asic_prices:asic_prices",
        inputs=("asic_prices",),
    ),
    Chart(
        "machines",
        "Machines by destination and company, confidence shown.",
        draw="charts.machines:machines",
        inputs=("machine_exports", "machine_exports_by_destination", "source_conflicts"),
    ),
]

_NUMBERS = [
    Numbers(
        "hashrate",
        "China's share and the provinces, the migration between countries, the launch.",
        compute="numbers.hashrate:hashrate_group",
        inputs={
            "hashrate_by_country": cleaned("hashrate_by_country"),
            "hashrate_by_province": cleaned("hashrate_by_province"),
            "hashrate_migration": cleaned("hashrate_migration"),
        },
        options={"baseline_month": "analysis.baseline_month"},
    ),
    Numbers(
        "shutdowns",
        "The measures, their days, and the share of China's hashrate under stop orders.",
        compute="numbers.shutdowns:shutdowns_group",
        inputs={
            "shutdowns": cleaned("shutdowns"),
            "shutdown_exposure": cleaned("shutdown_exposure"),
        },
    ),
    Numbers(
        "prices",
        "The weekly series' troughs and recoveries, the difficulty drop, asking prices.",
        compute="numbers.prices:prices_group",
        inputs={
            "price_recovery": cleaned("price_recovery"),
            "price_trends": cleaned("price_trends"),
            "difficulty_adjustments": cleaned("difficulty_adjustments"),
            "asic_prices": cleaned("asic_prices"),
            "asic_price_index_quotes": cleaned("asic_price_index_quotes"),
        },
    ),
    Numbers(
        "machines",
        "The FT's totals, the top destinations and the conflict ledger.",
        compute="numbers.machines:machines_group",
        inputs={
            "machine_exports": cleaned("machine_exports"),
            "machine_exports_by_destination": cleaned("machine_exports_by_destination"),
            "source_conflicts": cleaned("source_conflicts"),
        },
    ),
    Numbers(
        "press",
        "Single press figures as quoted, and the sources' own words.",
        compute="numbers.press:press_group",
        inputs={
            "machine_flows": raw("machine_flows"),
            "source_statements": raw("source_statements"),
        },
    ),
    Numbers(
        "data",
        "What the validation checked, and the licence the text names.",
        compute="numbers.data:data_group",
        inputs={},
        validations=True,
    ),
]

#: Every cleaned table, in the order of the data dictionary.
TABLES: dict[str, Table] = {table.name: table for table in _TABLES}
#: Every chart, in the order of the report.
CHARTS: dict[str, Chart] = {chart.name: chart for chart in _CHARTS}
#: The report's numbers in groups, one job each; an edit reruns the groups it reaches.
NUMBERS: dict[str, Numbers] = {numbers.name: numbers for numbers in _NUMBERS}
#: What the checks of the prose's qualitative claims read (numbers/claims.py).
CLAIM_INPUTS = {"machine_flows": raw("machine_flows")} | {name: cleaned(name) for name in (
    "hashrate_by_country", "hashrate_migration", "shutdowns", "shutdown_exposure",
    "machine_exports", "machine_exports_by_destination", "price_recovery",
    "difficulty_adjustments", "asic_prices", "asic_price_index_quotes")}  # fmt: skip


def resolve(reference: str) -> Any:
    """The object a "module:name" reference names in the package (imported now)."""
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(f"{PACKAGE}.{module}"), name)


def module_of(reference: str) -> str:
    return reference.partition(":")[0]


def raw_sources(table: str) -> list[str]:
    """The raw tables a cleaned table is derived from, directly or through others."""
    found: set[str] = set()
    for source in TABLES[table].inputs.values():
        if source.kind == "raw":
            found.add(source.name)
        elif source.kind == "daily":
            found.add(DAILY_SOURCE)
        else:
            found.update(raw_sources(source.name))
    return sorted(found)
