"""Every cleaned table: the function that derives it and the model that describes it."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

from . import hashrate, machines

#: Cleaned table name → the pure function that derives it from its inputs.
DERIVATIONS: dict[str, Callable[..., pd.DataFrame]] = {
    "hashrate_by_country": hashrate.hashrate_by_country,
    "machine_exports": machines.machine_exports,
    "machine_exports_by_destination": machines.machine_exports_by_destination,
    "source_conflicts": machines.source_conflicts,
}

#: Cleaned table name → its output schema (the source of the data dictionary).
PROCESSED_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "hashrate_by_country": hashrate.HashrateByCountry,
    "machine_exports": machines.MachineExports,
    "machine_exports_by_destination": machines.MachineExportsByDestination,
    "source_conflicts": machines.SourceConflicts,
}
