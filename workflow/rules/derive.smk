# Stage 2: cleaned research tables, each validated by its output schema on write.


# Monthly share of global hashrate and EH/s by country, names normalized.
rule hashrate_by_country:
    input:
        code=CODE["derive"],
        checked=CROSS_CHECK,
        cbeci_countries=interim("cbeci_countries"),
    output:
        parquet="data/processed/hashrate_by_country.parquet",
        csv=report(
            "data/processed/hashrate_by_country.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/hashrate_by_country.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        table="hashrate_by_country",
    message:
        "Deriving hashrate_by_country"
    script:
        "../scripts/derive.py"


# Province shares of China's hashrate, also as shares of global hashrate.
rule hashrate_by_province:
    input:
        code=CODE["derive"],
        cbeci_provinces=interim("cbeci_provinces"),
        hashrate_by_country="data/processed/hashrate_by_country.parquet",
    output:
        parquet="data/processed/hashrate_by_province.parquet",
        csv=report(
            "data/processed/hashrate_by_province.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/hashrate_by_province.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        table="hashrate_by_province",
    message:
        "Deriving hashrate_by_province"
    script:
        "../scripts/derive.py"


# Each country before the crackdown, with China at zero, and latest.
rule hashrate_migration:
    input:
        code=CODE["derive"],
        hashrate_by_country="data/processed/hashrate_by_country.parquet",
    output:
        parquet="data/processed/hashrate_migration.parquet",
        csv=report(
            "data/processed/hashrate_migration.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/hashrate_migration.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        table="hashrate_migration",
        options={
            "months": {
                "before": config["analysis"]["baseline_month"],
                **config["analysis"]["migration_months"],
            }
        },
    message:
        "Deriving hashrate_migration"
    script:
        "../scripts/derive.py"


# Every crackdown measure with its jurisdiction's hashrate share in the baseline month.
rule shutdowns:
    input:
        code=CODE["derive"],
        events=interim("events"),
        hashrate_by_province="data/processed/hashrate_by_province.parquet",
        hashrate_by_country="data/processed/hashrate_by_country.parquet",
    output:
        parquet="data/processed/shutdowns.parquet",
        csv=report(
            "data/processed/shutdowns.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/shutdowns.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        table="shutdowns",
        options={"baseline_month": config["analysis"]["baseline_month"]},
    message:
        "Deriving shutdowns"
    script:
        "../scripts/derive.py"


# Day by day, the share of China's baseline hashrate certainly and at most under a stop order.
rule shutdown_exposure:
    input:
        code=CODE["derive"],
        events=interim("events"),
        hashrate_by_province="data/processed/hashrate_by_province.parquet",
    output:
        parquet="data/processed/shutdown_exposure.parquet",
        csv=report(
            "data/processed/shutdown_exposure.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/shutdown_exposure.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        table="shutdown_exposure",
        options={
            "year": config["analysis"]["exposure_year"],
            "baseline_month": config["analysis"]["baseline_month"],
        },
    message:
        "Deriving shutdown_exposure"
    script:
        "../scripts/derive.py"


# The data dictionary and Frictionless datapackage.json, from the output schemas.
rule data_dictionary:
    input:
        expand("data/processed/{table}.csv", table=PROCESSED_TABLES),
        code=CODE["dictionary"],
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
    conda:
        "../envs/pipeline.yaml"
    params:
        tables=PROCESSED_TABLES,
        raw_csvs=list(RAW_TABLES.values()),
    message:
        "Writing the data dictionary and datapackage.json"
    script:
        "../scripts/data_dictionary.py"
