# Stage 1: every raw snapshot is checked against its sidecar and its pandera model.


# Validate one raw table; on failure write its failure cases and stop the run.
rule validate_raw_table:
    input:
        code=CODE["validate"],
        csv=lambda wildcards: RAW_TABLES[wildcards.table],
        meta=lambda wildcards: sidecar(RAW_TABLES[wildcards.table]),
    output:
        parquet="data/interim/{table}.parquet",
        summary="data/processed/validation/{table}.valid.json",
    log:
        "logs/validate/{table}.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        failures="data/processed/validation/{table}.failures.csv",
    message:
        "Validating raw table {wildcards.table}"
    script:
        "../scripts/validate_raw_table.py"
