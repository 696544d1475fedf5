# Names shared by the rule files.

import os


def put_package_on_pythonpath(src):
    """Let every job's script import the project's package from src/, uninstalled."""
    paths = [src, os.environ.get("PYTHONPATH", "")]
    os.environ.update(PYTHONPATH=os.pathsep.join(p for p in paths if p))


put_package_on_pythonpath(str(Path(workflow.basedir) / "src"))

REPORT = config["report"]["name"]
REPORT_QMD = f"reports/{REPORT}.qmd"
REPORT_HTML = f"reports/{REPORT}.html"
REPORT_PDF = f"reports/{REPORT}.pdf"
RAW_TABLES = config["raw_tables"]


def sidecar(csv):
    """data/raw/x/t.csv -> data/raw/x/t.meta.yml"""
    return csv[: -len(".csv")] + ".meta.yml"


wildcard_constraints:
    table="|".join(RAW_TABLES),
