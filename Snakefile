"""China's 2021 crackdown on Bitcoin mining: raw figures -> validated tables -> report.

`snakemake --cores all` validates every raw snapshot in data/raw/, derives the
cleaned tables in data/processed/ and renders reports/<name>.html and .pdf.
"""

from snakemake.utils import min_version

min_version("9.0")

# The package is installed into the environment (`make` runs `pip install -e .`).

from mining_report.config_file import (
    check_config_file,
    check_config_shape,
    refuse_config,
)

# Before Snakemake's own loader reads it (which expands YAML aliases, runs Python tags
# and fails on an unquoted 2026-13-45 with a traceback): a file too big, not UTF-8,
# not YAML, with an alias, anchor or tag, or not a mapping is named in one line.
refuse_config(check_config_file("config/config.yaml"))


configfile: "config/config.yaml"


# The file with any --config overrides: every value the schema refuses, one line each
# naming its key. This replaces snakemake.utils.validate, which stops at the first in
# a report of many lines; its defaults added nothing, as every key is required.
refuse_config(
    check_config_shape(
        config, Path(workflow.basedir) / "workflow/schemas/config.schema.yaml"
    )
)


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
            table=TABLES,
            ext=["parquet", "csv"],
        ),
        "data/processed/data_dictionary.csv",
        "data/processed/datapackage.json",
        expand("reports/data/{chart}.csv", chart=CHARTS),
        rules.site_tables.output,
        BUILD_HTML,
        BUILD_PDF,
        BUILD_MANIFEST,


# Everything the build checks on the data, without drawing or rendering: the raw
# models, the derived tables, the cross-source check, the report's numbers and
# references. `make refresh ... ACCEPT=1` runs it on the staged snapshots first.
rule checks:
    input:
        expand("data/processed/validation/{table}.valid.json", table=RAW_TABLES),
        expand("data/processed/{table}.parquet", table=TABLES),
        CROSS_CHECK,
        "reports/_variables.yml",
        "reports/_build/claims.json",
        "reports/_build/references.json",
