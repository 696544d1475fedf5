# Stage 2: the cleaned research tables, each validated by its output schema on write.


# Every cleaned table of the registry (src/mining_report/registry.py): one job each.
rule derive:
    input:
        unpack(derive_inputs),
    output:
        parquet="data/processed/{cleaned}.parquet",
        csv=report(
            "data/processed/{cleaned}.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/{cleaned}.log",
    wildcard_constraints:
        cleaned="|".join(TABLES),
    params:
        # The entry's function and model: changing either reruns the table.
        entry=lambda wildcards: f"{TABLES[wildcards.cleaned].derive} {TABLES[wildcards.cleaned].model}",
        options=lambda wildcards: TABLES[wildcards.cleaned].option_values(config),
    message:
        "Deriving {wildcards.cleaned}"
    run:
        run_in_process("derive", input, output, params, wildcards, log)


# The data dictionary and Frictionless datapackage.json, from the output schemas.
rule data_dictionary:
    input:
        expand("data/processed/{table}.csv", table=TABLES),
        code=code("pipeline.jobs.data_dictionary"),
        meta=[sidecar(csv) for csv in RAW_TABLES.values()],
    output:
        dictionary=report(
            "data/processed/data_dictionary.csv",
            caption="../report/dictionary.rst",
            category="Cleaned tables",
        ),
        datapackage="data/processed/datapackage.json",
    log:
        "logs/derive/data_dictionary.log",
    params:
        tables=list(TABLES),
        raw_csvs=list(RAW_TABLES.values()),
    message:
        "Writing the data dictionary and datapackage.json"
    run:
        run_in_process("data_dictionary", input, output, params, wildcards, log)
