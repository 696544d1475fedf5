"""Check a raw snapshot against its sidecar and its pandera model; save it typed.

On failure the failure cases go to <table>.failures.csv and the readable verdict
to <table>.failures.txt (both beside the declared summary), and the job fails.
"""

import json

from mining_report import step
from mining_report.io import atomic_path, write_text
from mining_report.provenance import ProvenanceError
from mining_report.schemas import RAW_MODELS
from mining_report.validation import (
    ValidationFailed,
    summary_path,
    validate_raw,
    validation_record,
)


def main(snakemake) -> None:
    table, raw_csv = snakemake.wildcards.table, snakemake.input.csv
    failures = snakemake.params.failures
    model = RAW_MODELS[table]
    try:
        frame = validate_raw(raw_csv, model, failures)
    except (ValidationFailed, ProvenanceError) as err:
        write_text(summary_path(failures), f"{err}\n")
        raise
    with atomic_path(snakemake.output.parquet) as tmp:
        frame.to_parquet(tmp, index=False)
    record = validation_record(table, raw_csv, frame, model)
    write_text(snakemake.output.summary, json.dumps(record, indent=1, sort_keys=True) + "\n")


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
