"""Pandera models of the raw tables, and the ranges and windows they are held to.

Raw models check a snapshot as published: strict columns, coerced types, ranges,
vocabularies, keys and table-level rules.

One module per source: ``ccaf`` (the CCAF Bitcoin Mining Map), ``press`` (the tables
compiled from press and official sources), ``coin_metrics`` (the daily network data)
and ``dealers`` (ASIC specifications and asking prices); ``ranges`` holds the
plausibility ranges and tolerances, each with its reason, and ``windows`` the declared
window of each time series. ``RAW_MODELS``, here, maps every raw table to its model:
import it from here.
"""

from __future__ import annotations

from mining_report.model_checks import Model
from mining_report.raw.models.ccaf import CbeciCountriesRaw, CbeciProvincesRaw
from mining_report.raw.models.coin_metrics import CoinmetricsBtcDailyRaw
from mining_report.raw.models.dealers import AsicListingsRaw, AsicModelsRaw
from mining_report.raw.models.press import (
    ConflictingFiguresRaw,
    EventsRaw,
    MachineFlowEntitiesRaw,
    MachineFlowsRaw,
    PressArticlesRaw,
    PublishedFiguresRaw,
    SourceStatementsRaw,
)

#: Raw table name (the CSV's stem in data/raw) → its pandera model.
RAW_MODELS: dict[str, type[Model]] = {
    "cbeci_countries": CbeciCountriesRaw,
    "cbeci_provinces": CbeciProvincesRaw,
    "events": EventsRaw,
    "machine_flows": MachineFlowsRaw,
    "machine_flow_entities": MachineFlowEntitiesRaw,
    "published_figures": PublishedFiguresRaw,
    "conflicting_figures": ConflictingFiguresRaw,
    "source_statements": SourceStatementsRaw,
    "press_articles": PressArticlesRaw,
    "coinmetrics_btc_daily": CoinmetricsBtcDailyRaw,
    "asic_models": AsicModelsRaw,
    "asic_listings": AsicListingsRaw,
}
