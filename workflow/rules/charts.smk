# Stage 3: one rule per chart, each writing a Vega-Lite spec, an SVG and a PDF.


# The crackdown timeline by jurisdiction, with each measure's exposure.
rule chart_crackdown_timeline:
    input:
        shutdowns="data/processed/shutdowns.parquet",
    output:
        spec="reports/figures/crackdown_timeline.vl.json",
        svg="reports/figures/crackdown_timeline.svg",
        pdf="reports/figures/crackdown_timeline.pdf",
    log:
        "logs/charts/crackdown_timeline.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        chart="crackdown_timeline",
    message:
        "Drawing chart crackdown_timeline"
    script:
        "../scripts/chart.py"


# China's share of global hashrate against the main destinations, monthly.
rule chart_china_share:
    input:
        hashrate_by_country="data/processed/hashrate_by_country.parquet",
        shutdowns="data/processed/shutdowns.parquet",
    output:
        spec="reports/figures/china_share.vl.json",
        svg="reports/figures/china_share.svg",
        pdf="reports/figures/china_share.pdf",
    log:
        "logs/charts/china_share.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        chart="china_share",
    message:
        "Drawing chart china_share"
    script:
        "../scripts/chart.py"


# The provincial composition of China's hashrate (the seasonal swing).
rule chart_provincial_composition:
    input:
        hashrate_by_province="data/processed/hashrate_by_province.parquet",
    output:
        spec="reports/figures/provincial_composition.vl.json",
        svg="reports/figures/provincial_composition.svg",
        pdf="reports/figures/provincial_composition.pdf",
    log:
        "logs/charts/provincial_composition.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        chart="provincial_composition",
    message:
        "Drawing chart provincial_composition"
    script:
        "../scripts/chart.py"


# Each country's share before the crackdown, with China at zero, and latest.
rule chart_migration:
    input:
        hashrate_migration="data/processed/hashrate_migration.parquet",
    output:
        spec="reports/figures/migration.vl.json",
        svg="reports/figures/migration.svg",
        pdf="reports/figures/migration.pdf",
    log:
        "logs/charts/migration.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        chart="migration",
    message:
        "Drawing chart migration"
    script:
        "../scripts/chart.py"
