# Names shared by the rule files.

import os
import sys


def put_package_on_pythonpath(src):
    """Let every job's script import the project's package from src/, uninstalled."""
    paths = [src, os.environ.get("PYTHONPATH", "")]
    os.environ.update(PYTHONPATH=os.pathsep.join(p for p in paths if p))


put_package_on_pythonpath(str(Path(workflow.basedir) / "src"))

from mining_report.planning import check_citations, check_config, check_raw_inputs
from mining_report.provenance import ProvenanceError, load_sidecar
from mining_report.publish import NotPublished, out_of_date, publish_report

REPORT = config["report"]["name"]
REPORT_QMD = f"reports/{REPORT}.qmd"
# The report is rendered into the build folder and published to reports/ (HTML, PDF
# and manifest together) only when the whole run succeeded: see `onsuccess`.
REPORT_HTML = f"reports/{REPORT}.html"
REPORT_PDF = f"reports/{REPORT}.pdf"
BUILD_HTML = f"reports/_build/{REPORT}.html"
BUILD_PDF = f"reports/_build/{REPORT}.pdf"
BUILD_MANIFEST = "reports/_build/manifest.json"
PUBLISHED = {BUILD_HTML: REPORT_HTML, BUILD_PDF: REPORT_PDF}
RAW_TABLES = config["raw_tables"]
# The package code each stage runs. Snakemake reruns a job when its script changes,
# not when the code the script imports does, so each rule lists that code as input.
PKG = "src/mining_report"
CODE = {
    "validate": [
        f"{PKG}/{m}.py"
        for m in (
            "validation",
            "schemas/__init__",
            "schemas/base",
            "schemas/raw",
            "schemas/cleaned",
            "vocabularies",
            "provenance",
            "errors",
            "io",
            "step",
        )
    ],
    "derive": [
        f"{PKG}/{m}.py"
        for m in (
            "hashrate",
            "shutdowns",
            "prices",
            "machines",
            "conflicts",
            "schemas/__init__",
            "schemas/base",
            "schemas/raw",
            "schemas/cleaned",
            "tables",
            "vocabularies",
            "catalog",
            "io",
        )
    ],
    "dictionary": [f"{PKG}/{m}.py" for m in ("dictionary", "tables", "catalog")],
    "charts": [f"{PKG}/{m}.py" for m in ("charts", "formatting", "vocabularies", "io")],
    "variables": [
        f"{PKG}/{m}.py"
        for m in (
            "variables",
            "lineage",
            "lineage_records",
            "raw_lines",
            "formatting",
            "vocabularies",
            "io",
        )
    ],
    "report_tables": [
        f"{PKG}/{m}.py"
        for m in ("report_tables", "bibliography", "dictionary", "formatting", "tables")
    ],
    "bibliography": [f"{PKG}/{m}.py" for m in ("bibliography", "provenance", "io")],
    "render": [f"{PKG}/{m}.py" for m in ("render", "errors", "io")],
    "manifest": [f"{PKG}/{m}.py" for m in ("manifest", "provenance", "errors")],
    "site": [f"{PKG}/{m}.py" for m in ("site", "io")],
}
# Every chart of the report; each has a rule chart_<name> in charts.smk.
CHARTS = [
    "crackdown_timeline",
    "china_share",
    "provincial_composition",
    "migration",
    "network_hashrate",
    "prices_indexed",
    "asic_prices",
    "machines",
]
# Every cleaned table; each has a rule of the same name in a derive*.smk file.
PROCESSED_TABLES = [
    "hashrate_by_country",
    "hashrate_by_province",
    "hashrate_migration",
    "shutdowns",
    "shutdown_exposure",
    "price_trends",
    "price_recovery",
    "difficulty_adjustments",
    "asic_prices",
    "asic_price_index_quotes",
    "machine_exports",
    "machine_exports_by_destination",
    "source_conflicts",
]


def sidecar(csv):
    """data/raw/x/t.csv -> data/raw/x/t.meta.yml"""
    return csv[: -len(".csv")] + ".meta.yml"


def snapshot_sources():
    """Raw table -> how its sidecar names it, "<title> (<author>)", for citing it.

    A sidecar that cannot be read is left out here: validating its table reports why.
    """
    sources = {}
    for table, csv in RAW_TABLES.items():
        try:
            meta = load_sidecar(csv)
        except (OSError, ProvenanceError):
            continue
        sources[table] = f"{meta.title} ({meta.creator})"
    return sources


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


refuse_to_plan(
    check_config(config)
    + check_raw_snapshots(RAW_TABLES)
    + check_citations(REPORT_QMD, RAW_TABLES)
)


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
BTC_DAILY = "data/interim/btc_daily.parquet"
