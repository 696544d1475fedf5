"""Every cleaned table's function and model, resolved from the registry."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

from mining_report.registry import TABLES, resolve

#: Cleaned table name → the pure function that derives it from its inputs.
DERIVATIONS: dict[str, Callable[..., pd.DataFrame]] = {
    name: resolve(table.derive) for name, table in TABLES.items()
}

#: Cleaned table name → its output schema (the source of the data dictionary).
CLEANED_MODELS: dict[str, type[pa.DataFrameModel]] = {
    name: resolve(table.model) for name, table in TABLES.items()
}
