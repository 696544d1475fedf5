# Stage 1: every raw snapshot is checked against its sidecar and its pandera model.


# Validate one raw table; on failure write its failure cases and stop the run.
rule validate_raw_table:
    input:
        code=code("pipeline.jobs.validate_raw_table"),
        csv=lambda wildcards: RAW_TABLES[wildcards.table],
        meta=lambda wildcards: sidecar(RAW_TABLES[wildcards.table]),
    output:
        parquet="data/interim/{table}.parquet",
        summary="data/processed/validation/{table}.valid.json",
    log:
        "logs/validate/{table}.log",
    params:
        failures="data/processed/validation/{table}.failures.csv",
    message:
        "Validating raw table {wildcards.table}"
    run:
        run_in_process("validate_raw_table", input, output, params, wildcards, log)


# Daily price, hashrate, mean difficulty and miner revenue, computed from the Coin
# Metrics fields snapshot (so a refresh of the fields refreshes it).
rule btc_daily:
    input:
        code=code("pipeline.jobs.btc_daily"),
        # Validated first; the computation reads the published strings themselves.
        validated=interim("coinmetrics_btc_daily"),
        fields=RAW_TABLES.get("coinmetrics_btc_daily", ""),
    output:
        parquet=BTC_DAILY,
    log:
        "logs/derive/btc_daily.log",
    message:
        "Computing btc_daily from the Coin Metrics fields"
    run:
        run_in_process("btc_daily", input, output, params, wildcards, log)


# Two sources that measure the network's hashrate must agree before either is used.
rule cross_check_network_hashrate:
    input:
        code=code("pipeline.jobs.cross_check"),
        cbeci_countries=interim("cbeci_countries"),
        btc_daily=BTC_DAILY,
    output:
        CROSS_CHECK,
    log:
        "logs/validate/cross_check_network_hashrate.log",
    params:
        raw_csvs=[
            RAW_TABLES.get("cbeci_countries", ""),
            RAW_TABLES.get("coinmetrics_btc_daily", ""),
        ],
        failures="data/processed/validation/network_hashrate.failures.csv",
    message:
        "Checking CCAF's EH/s against Coin Metrics' network hashrate"
    run:
        run_in_process("cross_check", input, output, params, wildcards, log)
