"""China's 2021 crackdown on Bitcoin mining: raw figures -> validated tables -> report.

`snakemake --cores all` validates every raw snapshot in data/raw/, derives the
cleaned tables in data/processed/ and renders reports/<name>.html and .pdf.
"""

import sys

from snakemake.utils import min_version, validate

min_version("9.0")
sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from mining_report.planning import check_config_file

# A value YAML cannot even load (an unquoted 2026-13-45) is named, not a traceback.
unloadable = check_config_file("config/config.yaml")
if unloadable:
    sys.exit("\n".join(f"ERROR: {problem}" for problem in unloadable))


configfile: "config/config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/validate.smk"
include: "workflow/rules/derive.smk"
include: "workflow/rules/charts.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        expand("data/processed/validation/{table}.valid.json", table=RAW_TABLES),
        expand(
            "data/processed/{table}.{ext}",
            table=PROCESSED_TABLES,
            ext=["parquet", "csv"],
        ),
        "data/processed/data_dictionary.csv",
        "data/processed/datapackage.json",
        expand("reports/data/{chart}.csv", chart=CHARTS),
        rules.site_tables.output,
        BUILD_HTML,
        BUILD_PDF,
        BUILD_MANIFEST,
