"""Conventions every cleaned table follows, and the helpers that enforce them.

A cleaned table is described by a pandera ``DataFrameModel`` whose docstring is the
table's description, whose ``Config.unique`` is its key, and whose fields carry a
``description`` and, where it has one, a ``metadata={"unit": ...}``. The data
dictionary and ``datapackage.json`` are generated from these models.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pandera.pandas as pa

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9_]*$")


def key_of(model: type[pa.DataFrameModel]) -> list[str]:
    """The declared key of a cleaned table (its ``Config.unique``)."""
    unique = model.to_schema().unique
    if not unique:
        raise ValueError(f"{model.__name__} declares no key (Config.unique)")
    return [unique] if isinstance(unique, str) else list(unique)


def finalize(frame: pd.DataFrame, model: type[pa.DataFrameModel]) -> pd.DataFrame:
    """Order columns as the model does, sort by its key, validate, and return the table."""
    columns = list(model.to_schema().columns)
    bad = [c for c in frame.columns if not SNAKE_CASE.match(str(c))]
    if bad:
        raise ValueError(f"{model.__name__}: column names must be snake_case: {bad}")
    table = frame[columns].sort_values(key_of(model), kind="stable").reset_index(drop=True)
    for column in table.select_dtypes("number").columns:
        # Inputs are finite; an infinity here is a division by zero in a derivation.
        infinite = table[column].isin([float("inf"), float("-inf")])
        if infinite.any():
            row = table[infinite].iloc[0]
            where = ", ".join(f"{k}={row[k]}" for k in key_of(model))
            raise ValueError(
                f"{model.__name__}: column '{column}', check 'finite_number': "
                f"{row[column]} at {where} ({int(infinite.sum())} row(s))"
            )
    return model.validate(table, lazy=True)


def field_unit(column: Any) -> str | None:
    """The unit recorded in a schema column's metadata, if any."""
    return (column.metadata or {}).get("unit")
