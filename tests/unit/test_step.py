"""An output schema error is summarised in one line by column, check and row."""

from __future__ import annotations

from mining_report.step import describe


def test_an_output_schema_error_is_summarised_by_column_check_and_row() -> None:
    import pandas as pd
    import pandera.pandas as pa

    schema = pa.DataFrameSchema({"share": pa.Column(float, pa.Check.le(100))})
    try:
        schema.validate(pd.DataFrame({"share": [1.0, float("inf")]}), lazy=True)
    except pa.errors.SchemaErrors as err:
        line = describe(err)
    assert line.startswith(
        "output schema failed: column 'share', check 'less_than_or_equal_to(100)'"
    )
    assert "row 1" in line and "\n" not in line
