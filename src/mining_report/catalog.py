"""Every cleaned table: the function that derives it and the model that describes it."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

from . import conflicts, hashrate, machines, prices, shutdowns
from .schemas import cleaned

#: Cleaned table name → the pure function that derives it from its inputs.
DERIVATIONS: dict[str, Callable[..., pd.DataFrame]] = {
    "hashrate_by_country": hashrate.hashrate_by_country,
    "hashrate_by_province": hashrate.hashrate_by_province,
    "hashrate_migration": hashrate.hashrate_migration,
    "shutdowns": shutdowns.shutdowns,
    "shutdown_exposure": shutdowns.shutdown_exposure,
    "price_trends": prices.price_trends,
    "price_recovery": prices.price_recovery,
    "difficulty_adjustments": prices.difficulty_adjustments,
    "asic_prices": prices.asic_prices_by_class,
    "asic_price_index_quotes": prices.asic_price_index_quotes,
    "machine_exports": machines.machine_exports,
    "machine_exports_by_destination": machines.machine_exports_by_destination,
    "source_conflicts": conflicts.source_conflicts,
}

#: Cleaned table name → its output schema (the source of the data dictionary).
PROCESSED_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "hashrate_by_country": cleaned.HashrateByCountry,
    "hashrate_by_province": cleaned.HashrateByProvince,
    "hashrate_migration": cleaned.HashrateMigration,
    "shutdowns": cleaned.Shutdowns,
    "shutdown_exposure": cleaned.ShutdownExposure,
    "price_trends": cleaned.PriceTrends,
    "price_recovery": cleaned.PriceRecovery,
    "difficulty_adjustments": cleaned.DifficultyAdjustments,
    "asic_prices": cleaned.AsicPrices,
    "asic_price_index_quotes": cleaned.AsicPriceIndexQuotes,
    "machine_exports": cleaned.MachineExports,
    "machine_exports_by_destination": cleaned.MachineExportsByDestination,
    "source_conflicts": cleaned.SourceConflicts,
}
