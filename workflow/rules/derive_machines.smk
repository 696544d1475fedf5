# Stage 2, machines: the reported machine counts, the FT destination table and the
# ledger of conflicting figures, each validated by its output schema on write.


# Every machine count in machine_flows, with its destination, company and flow.
rule machine_exports:
    input:
        code=CODE["derive"],
        machine_flows=interim("machine_flows"),
        machine_flow_entities=interim("machine_flow_entities"),
        ledger=interim("source_conflicts"),
    output:
        parquet="data/processed/machine_exports.parquet",
        csv=report(
            "data/processed/machine_exports.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/machine_exports.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        table="machine_exports",
    message:
        "Deriving machine_exports"
    script:
        "../scripts/derive.py"


# The FT's November 2021 breakdown of machines by destination country.
rule machine_exports_by_destination:
    input:
        code=CODE["derive"],
        machine_flows=interim("machine_flows"),
        machine_flow_entities=interim("machine_flow_entities"),
        published_figures=interim("published_figures"),
    output:
        parquet="data/processed/machine_exports_by_destination.parquet",
        csv=report(
            "data/processed/machine_exports_by_destination.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/machine_exports_by_destination.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        table="machine_exports_by_destination",
    message:
        "Deriving machine_exports_by_destination"
    script:
        "../scripts/derive.py"


# The conflict ledger with every claim resolved to its value, unit and source.
rule source_conflicts:
    input:
        code=CODE["derive"],
        ledger=interim("source_conflicts"),
        machine_flows=interim("machine_flows"),
        events=interim("events"),
        published_figures=interim("published_figures"),
        hashrate_by_country="data/processed/hashrate_by_country.parquet",
        hashrate_by_province="data/processed/hashrate_by_province.parquet",
    output:
        parquet="data/processed/source_conflicts.parquet",
        csv=report(
            "data/processed/source_conflicts.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/source_conflicts.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        table="source_conflicts",
        options={"snapshot_sources": snapshot_sources()},
    message:
        "Deriving source_conflicts"
    script:
        "../scripts/derive.py"
