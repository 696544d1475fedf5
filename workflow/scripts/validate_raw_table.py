"""Check a raw snapshot against its sidecar and its pandera model; save it typed."""

from mining_report import step
from mining_report.io import atomic_path
from mining_report.schemas import CHECK_COLUMNS, RAW_MODELS
from mining_report.validation import validate_raw


def main(snakemake) -> None:
    table = snakemake.wildcards.table
    frame = validate_raw(
        snakemake.input.csv, RAW_MODELS[table], snakemake.params.failures, CHECK_COLUMNS
    )
    with atomic_path(snakemake.output.parquet) as tmp:
        frame.to_parquet(tmp, index=False)


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
