# Stage 3: every chart of the registry, each writing a Vega-Lite spec, an SVG and a
# PDF, and the data it was drawn from as CSV (published beside the report).


# Every chart of the registry (src/mining_report/registry.py): one job each.
rule chart:
    input:
        unpack(chart_inputs),
    output:
        spec="reports/figures/{chart}.vl.json",
        svg=report(
            "reports/figures/{chart}.svg",
            caption="../report/chart.rst",
            category="Charts",
        ),
        pdf="reports/figures/{chart}.pdf",
        csv="reports/data/{chart}.csv",
    log:
        "logs/charts/{chart}.log",
    wildcard_constraints:
        chart="|".join(CHARTS),
    params:
        # The entry's function: changing it redraws the chart.
        draw=lambda wildcards: CHARTS[wildcards.chart].draw,
    message:
        "Drawing chart {wildcards.chart}"
    run:
        run_in_process("chart", input, output, params, wildcards, log)
