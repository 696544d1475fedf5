"""Every cleaned table: the function that derives it and the model that describes it."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

from . import hashrate

#: Cleaned table name → the pure function that derives it from its inputs.
DERIVATIONS: dict[str, Callable[..., pd.DataFrame]] = {
    "hashrate_by_country": hashrate.hashrate_by_country,
}

#: Cleaned table name → its output schema (the source of the data dictionary).
PROCESSED_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "hashrate_by_country": hashrate.HashrateByCountry,
}
