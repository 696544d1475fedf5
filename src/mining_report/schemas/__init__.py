"""Pandera models: one per raw table and one per cleaned table.

``base`` holds what they share (the base model, the patterns of text columns, one
factory per kind of column); ``raw`` the models of the snapshots as published, with
their plausibility ranges and declared windows; ``cleaned`` the models of what the
pipeline writes to data/processed/, from which the data dictionary and
datapackage.json are generated.
"""

from .base import (
    CLAIM_REFERENCE,
    HTTP_URL,
    Model,
    ascii_id,
    check_columns_of,
    table_check,
)
from .cleaned import (
    AsicPriceIndexQuotes,
    AsicPrices,
    DifficultyAdjustments,
    HashrateByCountry,
    HashrateByProvince,
    HashrateMigration,
    MachineExports,
    MachineExportsByDestination,
    PriceRecovery,
    PriceTrends,
    ShutdownExposure,
    Shutdowns,
    SourceConflicts,
)
from .raw import (
    NETWORK_HASHRATE_TOLERANCE,
    RAW_MODELS,
    SERIES_WINDOWS,
    AsicModelsRaw,
    AsicPricesRaw,
    BtcDailyRaw,
    BtcDailySourceFieldsRaw,
    CbeciCountriesRaw,
    CbeciProvincesRaw,
    EventsRaw,
    MachineFlowEntitiesRaw,
    MachineFlowsRaw,
    PublishedFiguresRaw,
    SeedArticlesRaw,
    SeriesWindow,
    SourceConflictsRaw,
)

__all__ = [
    "CLAIM_REFERENCE",
    "HTTP_URL",
    "NETWORK_HASHRATE_TOLERANCE",
    "RAW_MODELS",
    "SERIES_WINDOWS",
    "AsicModelsRaw",
    "AsicPriceIndexQuotes",
    "AsicPrices",
    "AsicPricesRaw",
    "BtcDailyRaw",
    "BtcDailySourceFieldsRaw",
    "CbeciCountriesRaw",
    "CbeciProvincesRaw",
    "DifficultyAdjustments",
    "EventsRaw",
    "HashrateByCountry",
    "HashrateByProvince",
    "HashrateMigration",
    "MachineExports",
    "MachineExportsByDestination",
    "MachineFlowEntitiesRaw",
    "MachineFlowsRaw",
    "Model",
    "PriceRecovery",
    "PriceTrends",
    "PublishedFiguresRaw",
    "SeedArticlesRaw",
    "SeriesWindow",
    "ShutdownExposure",
    "Shutdowns",
    "SourceConflicts",
    "SourceConflictsRaw",
    "ascii_id",
    "check_columns_of",
    "table_check",
]
