# Stage 4: the numbers, references and scripts the report needs, then HTML and PDF.


# Every number quoted in the report's prose, for {{< var name >}}.
rule report_variables:
    input:
        hashrate_by_country="data/processed/hashrate_by_country.parquet",
    output:
        "reports/_variables.yml",
    log:
        "logs/report/variables.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        pre_crackdown_month=config["analysis"]["pre_crackdown_month"],
    message:
        "Computing the report's numbers"
    script:
        "../scripts/report_variables.py"


# CSL-JSON references built from the raw snapshots' provenance sidecars.
rule bibliography:
    input:
        # Only after every raw table has passed validation.
        valid=expand("data/processed/validation/{table}.valid.json", table=RAW_TABLES),
        meta=[sidecar(csv) for csv in RAW_TABLES.values()],
    output:
        "reports/_build/references.json",
    log:
        "logs/report/bibliography.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        raw_csvs=list(RAW_TABLES.values()),
    message:
        "Building the bibliography from the provenance sidecars"
    script:
        "../scripts/bibliography.py"


# vega + vega-lite + vega-embed as one inline script, built once and cached.
rule vega_bundle:
    output:
        "reports/_build/vega-bundle.html",
    log:
        "logs/report/vega_bundle.log",
    conda:
        "../envs/pipeline.yaml"
    message:
        "Bundling the chart library for the HTML page"
    script:
        "../scripts/vega_bundle.py"


REPORT_INPUTS = dict(
    qmd=REPORT_QMD,
    quarto_project="reports/_quarto.yml",
    css="reports/report.css",
    lua_filter="workflow/filters/report.lua",
    variables="reports/_variables.yml",
    bibliography="reports/_build/references.json",
    header="reports/_build/vega-bundle.html",
    charts=expand(
        "reports/figures/{chart}.{ext}", chart=CHARTS, ext=["vl.json", "pdf"]
    ),
)


# The self-contained, offline HTML page.
rule render_html:
    input:
        **REPORT_INPUTS,
    output:
        REPORT_HTML,
    log:
        "logs/report/render_html.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        engine=config["render_engine"],
        format="html",
        date=config["report"]["date"],
    message:
        "Rendering {output}"
    script:
        "../scripts/render.py"


# The PDF publication, typeset by Typst.
rule render_pdf:
    input:
        **REPORT_INPUTS,
    output:
        REPORT_PDF,
    log:
        "logs/report/render_pdf.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        engine=config["render_engine"],
        format="typst",
        date=config["report"]["date"],
    message:
        "Rendering {output}"
    script:
        "../scripts/render.py"
