# Stage 4: the numbers, references and scripts the report needs, then HTML and PDF.


# Every number quoted in the report's prose, for {{< var name >}}, and its lineage:
# the rows, raw lines and sources it was computed from.
# The numbers in groups (src/mining_report/registry.py, NUMBERS): one job each, so an
# edit recomputes only the groups whose tables it changes.
rule numbers:
    input:
        unpack(numbers_inputs),
    output:
        values="reports/_build/numbers/{numbers}.yml",
        lineage="reports/_build/numbers/{numbers}.lineage.json",
    log:
        "logs/report/numbers/{numbers}.log",
    wildcard_constraints:
        numbers="|".join(NUMBERS),
    params:
        # The entry's function: changing it reruns the group.
        compute=lambda wildcards: NUMBERS[wildcards.numbers].compute,
        options=lambda wildcards: NUMBERS[wildcards.numbers].option_values(config),
        baseline_month=config["analysis"]["baseline_month"],
    message:
        "Computing the report's numbers on {wildcards.numbers} and where each comes from"
    run:
        run_in_process("numbers", input, output, params, wildcards, log)


rule report_variables:
    input:
        values=expand("reports/_build/numbers/{numbers}.yml", numbers=NUMBERS),
        lineage=expand("reports/_build/numbers/{numbers}.lineage.json", numbers=NUMBERS),
        code=code("pipeline.jobs.report_variables"),
    output:
        variables="reports/_variables.yml",
        lineage="reports/_build/lineage.json",
    log:
        "logs/report/variables.log",
    message:
        "Joining the report's numbers and where each comes from"
    run:
        run_in_process("report_variables", input, output, params, wildcards, log)


# Every qualitative claim of the prose ("the largest", "fell", "was back at") checked
# on the tables it is about (src/mining_report/numbers/claims.py): a claim the data no
# longer bear out stops the build before anything is rendered.
rule claims:
    input:
        **table_inputs(CLAIM_INPUTS),
        variables="reports/_variables.yml",
        qmd=REPORT_QMD,
        code=code("pipeline.jobs.claims"),
    output:
        "reports/_build/claims.json",
    log:
        "logs/report/claims.log",
    params:
        tables=list(CLAIM_INPUTS),
        options={"baseline_month": config["analysis"]["baseline_month"]},
    message:
        "Checking every claim the report's sentences make about the data"
    run:
        run_in_process("claims", input, output, params, wildcards, log)


# The small tables the report prints: sources, cleaned tables, the conflict ledger.
rule report_tables:
    input:
        code=code("pipeline.jobs.report_tables"),
        valid=expand("data/processed/validation/{table}.valid.json", table=RAW_TABLES),
        meta=[sidecar(csv) for csv in RAW_TABLES.values()],
        tables=expand("data/processed/{table}.parquet", table=TABLES),
        source_conflicts="data/processed/source_conflicts.parquet",
    output:
        sources="reports/_build/tables/sources.csv",
        tables="reports/_build/tables/tables.csv",
        conflicts="reports/_build/tables/conflicts.csv",
    log:
        "logs/report/tables.log",
    params:
        raw_csvs=list(RAW_TABLES.values()),
    message:
        "Writing the report's tables"
    run:
        run_in_process("report_tables", input, output, params, wildcards, log)


# CSL-JSON references: the raw snapshots (from their sidecars) and every page the press
# tables and the press articles the project started from cite, once each; and the
# references the text does not cite but lists (every raw table, the conflict ledger's
# sources).
rule bibliography:
    input:
        code=code("pipeline.jobs.bibliography"),
        # Only after every raw table has passed validation.
        valid=expand("data/processed/validation/{table}.valid.json", table=RAW_TABLES),
        meta=[sidecar(csv) for csv in RAW_TABLES.values()],
        events=interim("events"),
        machine_flows=interim("machine_flows"),
        published_figures=interim("published_figures"),
        source_statements=interim("source_statements"),
        conflicting_figures=interim("conflicting_figures"),
        press_articles=interim("press_articles"),
    output:
        references="reports/_build/references.json",
        nocite="reports/_build/nocite.yml",
    log:
        "logs/report/bibliography.log",
    params:
        raw_csvs=list(RAW_TABLES.values()),
    message:
        "Building the bibliography from the sidecars, press tables and press articles"
    run:
        run_in_process("bibliography", input, output, params, wildcards, log)


# What the HTML page carries inline in its header, under both engines: the style sheet,
# vega + vega-lite + vega-embed as one script (built once and cached), the report's
# chart drawing (each chart laid out for the width of its column), the popover that
# shows where each number comes from and the page's furniture (heading anchors, the
# current section, hover previews of references). The page then links no file.
rule page_header:
    input:
        code=code("pipeline.jobs.page_header"),
        css="reports/report.css",
        charts_js="reports/charts.js",
        lineage_js="reports/lineage.js",
        page_js="reports/page.js",
    output:
        "reports/_build/page-header.html",
    log:
        "logs/report/page_header.log",
    message:
        "Inlining the page's style sheet and scripts"
    run:
        run_in_process("page_header", input, output, params, wildcards, log)


# The cleaned tables, their data dictionary and data package, published beside the
# report (reports/data/tables/, data/tables/ on the site), where its methods link them;
# and the raw CSVs, at their own paths (reports/data/raw/...), which the lineage of
# each number links.
rule site_tables:
    input:
        code=code("pipeline.jobs.site_tables"),
        tables=expand("data/processed/{table}.csv", table=TABLES),
        dictionary="data/processed/data_dictionary.csv",
        datapackage="data/processed/datapackage.json",
        raw=list(RAW_TABLES.values()),
    output:
        tables=expand("reports/data/tables/{table}.csv", table=TABLES),
        dictionary="reports/data/tables/data_dictionary.csv",
        datapackage="reports/data/tables/datapackage.json",
        raw=[f"reports/{csv}" for csv in RAW_TABLES.values()],
    log:
        "logs/report/site_tables.log",
    message:
        "Publishing the cleaned and raw tables beside the report"
    run:
        run_in_process("site_tables", input, output, params, wildcards, log)


REPORT_INPUTS = dict(
    code=code_files("jobs.render", "step"),
    # What the page links: the tables behind each number, cleaned and raw.
    site_tables=list(rules.site_tables.output),
    qmd=REPORT_QMD,
    quarto_project="reports/_quarto.yml",
    typst_header="reports/typst-header.typ",
    lua_filter="workflow/filters/report.lua",
    # The filters Quarto runs itself, which report.lua runs for the fallback.
    filters=expand(
        "workflow/filters/report_{name}.lua", name=["blocks", "lineage", "table_labels"]
    ),
    filter_helpers="workflow/filters/report_common.lua",
    variables="reports/_variables.yml",
    lineage="reports/_build/lineage.json",
    claims="reports/_build/claims.json",
    changes_section="reports/_build/changes-section.md",
    bibliography="reports/_build/references.json",
    nocite="reports/_build/nocite.yml",
    header="reports/_build/page-header.html",
    charts=expand(
        "reports/figures/{chart}.{ext}", chart=CHARTS, ext=["vl.json", "pdf"]
    ),
    tables=list(rules.report_tables.output),
)


# The self-contained, offline HTML page and the PDF publication, typeset by Typst:
# one Quarto run renders both (or the pandoc fallback, side by side).
rule render:
    input:
        **REPORT_INPUTS,
    output:
        html=report(BUILD_HTML, caption="../report/report.rst", category="Report"),
        pdf=report(BUILD_PDF, caption="../report/report.rst", category="Report"),
    log:
        "logs/report/render.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        engine=RENDER_ENGINE,
        date=config["report"]["date"],
    message:
        "Rendering {output.html} and {output.pdf} with {params.engine}"
    script:
        "../scripts/render.py"


# The record of this edition: the vintage of each raw snapshot, the code, every quoted
# number, the digest of each cleaned table and chart's data, the references.
rule edition:
    input:
        variables="reports/_variables.yml",
        valid=expand("data/processed/validation/{table}.valid.json", table=RAW_TABLES),
        raw=list(RAW_TABLES.values()),
        meta=[sidecar(csv) for csv in RAW_TABLES.values()],
        tables=expand("data/processed/{table}.csv", table=TABLES),
        datapackage="data/processed/datapackage.json",
        charts=expand("reports/data/{chart}.csv", chart=CHARTS),
        references="reports/_build/references.json",
        lineage="reports/_build/lineage.json",
        # Everything the report is made from: a change of code is a new edition too.
        code=sorted(str(p) for p in Path("src/mining_report").rglob("*.py"))
        + [REPORT_QMD],
    output:
        BUILD_EDITION,
    log:
        "logs/report/edition.log",
    message:
        "Recording this edition: data vintage, code, numbers, tables, charts"
    run:
        run_in_process("edition", input, output, params, wildcards, log)


# "What changed since the edition of …": the report's own section, against the edition
# the config names (report.since_edition); empty without one or when no data changed.
rule changes_section:
    input:
        unpack(since_edition),
        edition=BUILD_EDITION,
        tables=expand("data/processed/{table}.csv", table=TABLES),
        qmd=REPORT_QMD,
        code=code("pipeline.jobs.changes_section"),
    output:
        "reports/_build/changes-section.md",
    log:
        "logs/report/changes_section.log",
    params:
        since=config["report"].get("since_edition"),
    message:
        "Writing what changed since the edition the config names"
    run:
        run_in_process("changes_section", input, output, params, wildcards, log)


# The sha256 of every raw input and output, and the versions of the tools: the last
# job, so a complete manifest in the build folder means the whole report was built.
rule manifest:
    input:
        code=code("pipeline.jobs.manifest"),
        raw=[*RAW_TABLES.values(), *(sidecar(csv) for csv in RAW_TABLES.values())],
        # The sha256 of the bytes each validation read: the inputs recorded.
        valid=expand("data/processed/validation/{table}.valid.json", table=RAW_TABLES),
        outputs=[
            *expand(
                "data/processed/{table}.{ext}",
                table=TABLES,
                ext=["parquet", "csv"],
            ),
            "data/processed/data_dictionary.csv",
            "data/processed/datapackage.json",
            *expand(
                "reports/figures/{chart}.{ext}",
                chart=CHARTS,
                ext=["vl.json", "svg", "pdf"],
            ),
            expand("reports/data/{chart}.csv", chart=CHARTS),
            BUILD_HTML,
            BUILD_PDF,
            BUILD_EDITION,
        ],
    output:
        BUILD_MANIFEST,
    log:
        "logs/report/manifest.log",
    params:
        published=PUBLISHED,
        engine=RENDER_ENGINE,
    message:
        "Writing the manifest of the build"
    run:
        run_in_process("manifest", input, output, params, wildcards, log)


# A complete build that is not what reports/ holds (a published file deleted, a
# publish cut short) is published again: dropping its manifest reruns the last job,
# and the run's success publishes it. Only the main process decides.
if workflow.is_main_process and out_of_date(
    PUBLISHED, BUILD_MANIFEST, "reports/manifest.json"
):
    Path(BUILD_MANIFEST).unlink()


# Publish only when every job succeeded: HTML, PDF and manifest move together. A run
# of other targets (`snakemake checks`) that never built a report publishes nothing.
onsuccess:
    if not Path(BUILD_MANIFEST).exists():
        return
    try:
        if publish_report(PUBLISHED, BUILD_MANIFEST, "reports/manifest.json"):
            print(f"Published {REPORT_HTML} and {REPORT_PDF}", file=sys.stderr)
        # The published edition, archived for `make changes` (once: an edition
        # archived as it is is left alone).
        folder, archived = archive_edition(
            Path(PUBLISHED[BUILD_EDITION]), Path("data/processed")
        )
        if archived:
            print(f"Archived the edition in {folder}/", file=sys.stderr)
    except (NotPublished, OSError, ValueError) as err:
        print(f"ERROR: {PUBLISH_FAILED}: {err}", file=sys.stderr)
        raise SystemExit(1)


# Each run starts with no recorded failures ...
onstart:
    Path("logs/failures.txt").unlink(missing_ok=True)


# ... and a failed run ends with what broke, one line per failed step.
onerror:
    failures = Path("logs/failures.txt")
    lines = failures.read_text().splitlines() if failures.exists() else []
    print("", *(f"ERROR: {line}" for line in lines), sep="\n", file=sys.stderr)
    print(
        f"{REPORT_HTML} and {REPORT_PDF} were left as they were.", file=sys.stderr
    )
