# Stage 3: one rule per chart, each writing a Vega-Lite spec, an SVG and a PDF, and
# the data it was drawn from as CSV (published beside the report, linked under it).


# The crackdown timeline by jurisdiction, with each measure's exposure.
rule chart_crackdown_timeline:
    input:
        code=CODE["charts"],
        shutdowns="data/processed/shutdowns.parquet",
    output:
        spec="reports/figures/crackdown_timeline.vl.json",
        svg=report(
            "reports/figures/crackdown_timeline.svg",
            caption="../report/chart.rst",
            category="Charts",
        ),
        pdf="reports/figures/crackdown_timeline.pdf",
        csv="reports/data/crackdown_timeline.csv",
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
        code=CODE["charts"],
        hashrate_by_country="data/processed/hashrate_by_country.parquet",
        shutdowns="data/processed/shutdowns.parquet",
    output:
        spec="reports/figures/china_share.vl.json",
        svg=report(
            "reports/figures/china_share.svg",
            caption="../report/chart.rst",
            category="Charts",
        ),
        pdf="reports/figures/china_share.pdf",
        csv="reports/data/china_share.csv",
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
        code=CODE["charts"],
        hashrate_by_province="data/processed/hashrate_by_province.parquet",
    output:
        spec="reports/figures/provincial_composition.vl.json",
        svg=report(
            "reports/figures/provincial_composition.svg",
            caption="../report/chart.rst",
            category="Charts",
        ),
        pdf="reports/figures/provincial_composition.pdf",
        csv="reports/data/provincial_composition.csv",
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
        code=CODE["charts"],
        hashrate_migration="data/processed/hashrate_migration.parquet",
    output:
        spec="reports/figures/migration.vl.json",
        svg=report(
            "reports/figures/migration.svg",
            caption="../report/chart.rst",
            category="Charts",
        ),
        pdf="reports/figures/migration.pdf",
        csv="reports/data/migration.csv",
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


# Network hashrate with the main measures and the July 2021 difficulty drop.
rule chart_network_hashrate:
    input:
        code=CODE["charts"],
        price_trends="data/processed/price_trends.parquet",
        shutdowns="data/processed/shutdowns.parquet",
        difficulty_adjustments="data/processed/difficulty_adjustments.parquet",
    output:
        spec="reports/figures/network_hashrate.vl.json",
        svg=report(
            "reports/figures/network_hashrate.svg",
            caption="../report/chart.rst",
            category="Charts",
        ),
        pdf="reports/figures/network_hashrate.pdf",
        csv="reports/data/network_hashrate.csv",
    log:
        "logs/charts/network_hashrate.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        chart="network_hashrate",
    message:
        "Drawing chart network_hashrate"
    script:
        "../scripts/chart.py"


# BTC price and hashprice indexed to the pre-ban week.
rule chart_prices_indexed:
    input:
        code=CODE["charts"],
        price_trends="data/processed/price_trends.parquet",
    output:
        spec="reports/figures/prices_indexed.vl.json",
        svg=report(
            "reports/figures/prices_indexed.svg",
            caption="../report/chart.rst",
            category="Charts",
        ),
        pdf="reports/figures/prices_indexed.pdf",
        csv="reports/data/prices_indexed.csv",
    log:
        "logs/charts/prices_indexed.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        chart="prices_indexed",
    message:
        "Drawing chart prices_indexed"
    script:
        "../scripts/chart.py"


# ASIC USD per TH by efficiency class, with the data gap visible.
rule chart_asic_prices:
    input:
        code=CODE["charts"],
        asic_prices="data/processed/asic_prices.parquet",
    output:
        spec="reports/figures/asic_prices.vl.json",
        svg=report(
            "reports/figures/asic_prices.svg",
            caption="../report/chart.rst",
            category="Charts",
        ),
        pdf="reports/figures/asic_prices.pdf",
        csv="reports/data/asic_prices.csv",
    log:
        "logs/charts/asic_prices.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        chart="asic_prices",
    message:
        "Drawing chart asic_prices"
    script:
        "../scripts/chart.py"


# Machines by destination and company, confidence shown.
rule chart_machines:
    input:
        code=CODE["charts"],
        machine_exports="data/processed/machine_exports.parquet",
        machine_exports_by_destination="data/processed/machine_exports_by_destination.parquet",
        source_conflicts="data/processed/source_conflicts.parquet",
    output:
        spec="reports/figures/machines.vl.json",
        svg=report(
            "reports/figures/machines.svg",
            caption="../report/chart.rst",
            category="Charts",
        ),
        pdf="reports/figures/machines.pdf",
        csv="reports/data/machines.csv",
    log:
        "logs/charts/machines.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        chart="machines",
    message:
        "Drawing chart machines"
    script:
        "../scripts/chart.py"
