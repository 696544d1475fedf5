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


# Two sources that measure the network's hashrate must agree before either is used.
rule cross_check_network_hashrate:
    input:
        code=CODE["validate"],
        cbeci_countries=interim("cbeci_countries"),
        btc_daily=BTC_DAILY,
    output:
        CROSS_CHECK,
    log:
        "logs/validate/cross_check_network_hashrate.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        raw_csvs=[
            RAW_TABLES.get("cbeci_countries", ""),
            RAW_TABLES.get("btc_daily_source_fields", ""),
        ],
        failures="data/processed/validation/network_hashrate.failures.csv",
    message:
        "Checking CCAF's EH/s against Coin Metrics' network hashrate"
    script:
        "../scripts/cross_check.py"
