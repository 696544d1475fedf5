# Stage 3: one rule per chart, each writing a Vega-Lite spec, an SVG and a PDF.


# China's share of global hashrate against the main destinations, monthly.
rule chart_china_share:
    input:
        table="data/processed/hashrate_by_country.parquet",
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
