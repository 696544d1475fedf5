# Stage 2: cleaned research tables, each validated by its output schema on write.


# Monthly share of global hashrate and EH/s by country, names normalized.
rule hashrate_by_country:
    input:
        cbeci_countries="data/interim/cbeci_countries.parquet",
    output:
        parquet="data/processed/hashrate_by_country.parquet",
        csv="data/processed/hashrate_by_country.csv",
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
