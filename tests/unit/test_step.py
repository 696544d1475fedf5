"""An output schema error is summarised in one line by column, check and row."""

from __future__ import annotations

from mining_report.pipeline.step import describe


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


def test_a_renderers_output_never_reads_as_failed_checks() -> None:
    from mining_report.errors import RenderError, ValidationFailed
    from mining_report.pipeline.step import one_line

    # Quarto lists what it renders as "- report.css" lines under its verdict.
    rendered = RenderError("quarto failed (exit 1): report filter: unknown variable 'x'\n"
                           "  resources:\n    - report.css\n    - typst-header.typ\n")  # fmt: skip
    assert one_line(rendered) == "quarto failed (exit 1): report filter: unknown variable 'x'"
    checks = ValidationFailed("data/raw/a.csv: 2 failed checks\n  - column 'x', check 'ge'\n"
                              "  - column 'y', check 'le'\n")  # fmt: skip
    assert one_line(checks) == "data/raw/a.csv: column 'x', check 'ge' (and 1 more failed check(s))"
