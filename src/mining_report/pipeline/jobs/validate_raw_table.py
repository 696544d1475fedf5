"""Check a raw snapshot against its sidecar and its pandera model; save it typed.

On failure the failure cases go to <table>.failures.csv and the readable verdict
to <table>.failures.txt (both beside the declared summary), and the job fails.
"""

import json
from typing import Any

from mining_report.errors import ValidationFailed
from mining_report.io import atomic_path, write_text
from mining_report.raw.failures import summary_path
from mining_report.raw.models import RAW_MODELS
from mining_report.raw.provenance import ProvenanceError
from mining_report.raw.validation import validate_snapshot, validation_record


def main(job: Any) -> None:
    table, raw_csv = job.wildcards.table, job.input.csv
    failures = job.params.failures
    model = RAW_MODELS[table]
    try:
        frame, snapshot = validate_snapshot(raw_csv, model, failures)
    except (ValidationFailed, ProvenanceError) as err:
        write_text(summary_path(failures), f"{err}\n")
        raise
    with atomic_path(job.output.parquet) as tmp:
        frame.to_parquet(tmp, index=False)
    record = validation_record(table, snapshot, frame, model)
    write_text(job.output.summary, json.dumps(record, indent=1, sort_keys=True) + "\n")
