# Names shared by the rule files.

import sys
from types import SimpleNamespace

from mining_report.checkout_lock import CheckoutBusy, hold_checkout
from mining_report.pipeline.planning import (
    check_citations,
    check_config,
    check_raw_inputs,
)
from mining_report.raw.provenance import sidecar_path
from mining_report.pipeline.publish import NotPublished, out_of_date, publish_report
from mining_report.report.edition import archive as archive_edition
from mining_report.run_log import PUBLISH_FAILED
from mining_report.errors import RenderError
from mining_report.report.render import choose_engine

REPORT = config["report"]["name"]
# The document: its stem is not the report's, so that no render (Quarto writes
# <stem>.typ and <stem>.pdf beside the document) ever touches the published pair.
REPORT_QMD = "reports/index.qmd"
# The report is rendered into the build folder and published to reports/ (HTML, PDF
# and manifest together) only when the whole run succeeded: see `onsuccess`.
REPORT_HTML = f"reports/{REPORT}.html"
REPORT_PDF = f"reports/{REPORT}.pdf"
BUILD_HTML = f"reports/_build/{REPORT}.html"
BUILD_PDF = f"reports/_build/{REPORT}.pdf"
BUILD_MANIFEST = "reports/_build/manifest.json"
# The record of this edition (src/mining_report/report/edition.py), published with the
# pair and archived under editions/.
BUILD_EDITION = "reports/_build/edition.json"
PUBLISHED = {
    BUILD_HTML: REPORT_HTML,
    BUILD_PDF: REPORT_PDF,
    BUILD_EDITION: "reports/edition.json",
}
RAW_TABLES = config["raw_tables"]
from mining_report.pipeline.code_deps import code_files

# Every cleaned table, chart and group of numbers, as src/mining_report/registry.py
# declares them: the generic rules `derive`, `chart` and `numbers` make one job of each.
from mining_report.registry import (
    CHARTS,
    CLAIM_INPUTS,
    DAILY,
    NUMBERS,
    TABLES,
    cleaned,
    module_of,
)
from mining_report.pipeline.step import run_job


def job_code(*modules):
    """The package's source files a job runs: ``modules`` and all they import.

    Snakemake reruns a job when its rule changes, not when the package code the rule
    calls does, so each job lists that code as input, computed from the imports."""
    return code_files(*modules)


def code(*modules):
    """An input function: the code of ``modules``, as ``job_code`` finds it."""
    return lambda wildcards: job_code(*modules)


def sidecar(csv):
    """data/raw/x/t.csv -> data/raw/x/t.meta.yml, as a path Snakemake can name."""
    return str(sidecar_path(csv))


def run_in_process(kind, input, output, params, wildcards, log):
    """The body of every `run:` rule: the job ``mining_report.pipeline.jobs.<kind>`` with the
    rule's files and parameters. A failure raises StepFailed, one line saying why."""
    job = SimpleNamespace(
        input=input, output=output, params=params, wildcards=wildcards, log=log
    )
    run_job(kind, job)


def check_raw_snapshots(raw_tables, raw_dir="data/raw"):
    """Every raw CSV needs its sidecar: refuse to plan a run otherwise."""
    problems = check_raw_inputs(raw_tables)
    for csv in sorted(Path(raw_dir).rglob("*.csv")):
        if not Path(sidecar(str(csv))).exists():
            problems.append(
                f"{csv}: no provenance sidecar; expected {sidecar(str(csv))}"
            )
    return problems


def refuse_to_plan(problems):
    """Stop before any job runs, printing one line per problem and no traceback."""
    if problems:
        print("\n".join(f"ERROR: {problem}" for problem in problems), file=sys.stderr)
        raise SystemExit(1)


# A build and a refresh never run together: the build holds the checkout until it
# ends (a refresh waits for it, and it waits for a refresh). Jobs run elsewhere (a
# cluster's) read the Snakefile too, but only the main process holds the lock.
if workflow.is_main_process:
    try:
        hold_checkout(".", "a build", say=lambda line: print(line, file=sys.stderr))
    except CheckoutBusy as err:
        refuse_to_plan([str(err)])


refuse_to_plan(
    check_config(config)
    + check_raw_snapshots(RAW_TABLES)
    + check_citations(REPORT_QMD, RAW_TABLES)
)


def render_engine(setting):
    """The engine this run renders with: ``auto`` is Quarto when it is on PATH. A
    Quarto asked for but missing stops the run here, before any job starts."""
    try:
        return choose_engine(setting)
    except RenderError as err:
        refuse_to_plan([str(err)])


RENDER_ENGINE = render_engine(config["render_engine"])


def interim(table):
    """The validated copy of a raw table, which must still be listed in the config:
    a leftover data/interim/ file never stands in for a table removed from it."""
    if table not in RAW_TABLES:
        refuse_to_plan(
            [
                f"config key raw_tables.{table}: missing, but the workflow reads "
                f"data/interim/{table}.parquet; list the raw table again"
            ]
        )
    return f"data/interim/{table}.parquet"


wildcard_constraints:
    table="|".join(RAW_TABLES),


# Derive rules that read a cross-checked table wait for the check (input "checked").
CROSS_CHECK = "data/processed/validation/network_hashrate.cross_check.json"
#: The daily network table, computed from the Coin Metrics fields (rule btc_daily).
BTC_DAILY = DAILY.path


def table_inputs(sources):
    """The files of a registry entry's inputs, each named after its argument: a raw
    table as validated, any other table where its rule writes it."""
    return {
        argument: interim(source.name) if source.kind == "raw" else source.path
        for argument, source in sources.items()
    }


def derive_inputs(wildcards):
    """A cleaned table's inputs, as the registry declares them: each named after the
    argument of its function it becomes; then the code, and the cross-check it awaits.
    """
    table = TABLES[wildcards.cleaned]
    inputs = table_inputs(table.inputs)
    inputs["code"] = job_code(
        "jobs.derive", module_of(table.derive), module_of(table.model)
    )
    if table.checked:
        inputs["checked"] = CROSS_CHECK
    return inputs


def chart_inputs(wildcards):
    """A chart's cleaned tables, each named after the argument of its function."""
    chart = CHARTS[wildcards.chart]
    inputs = {table: cleaned(table).path for table in chart.inputs}
    inputs["code"] = job_code("pipeline.jobs.chart", module_of(chart.draw))
    return inputs


def numbers_inputs(wildcards):
    """A group's tables, each named after its argument; the raw CSVs and sidecars its
    numbers' lineage names; the validation records where it reports on them; its code.
    """
    group = NUMBERS[wildcards.numbers]
    inputs = table_inputs(group.inputs)
    raw = [RAW_TABLES[table] for table in group.raw_tables(RAW_TABLES)]
    inputs["raw"] = raw
    inputs["meta"] = [sidecar(csv) for csv in raw]
    if group.validations:
        inputs["valid"] = expand(
            "data/processed/validation/{table}.valid.json", table=RAW_TABLES
        )
    inputs["code"] = job_code("pipeline.jobs.numbers", module_of(group.compute))
    return inputs


def since_edition(wildcards):
    """The archived edition the report's "What changed" section compares with."""
    since = config["report"].get("since_edition")
    return {"since": f"editions/{since}/edition.json"} if since else {}
