"""Write the data dictionary and datapackage.json for the cleaned tables."""

import json
from pathlib import Path
from typing import Any

from mining_report.derive.catalog import CLEANED_MODELS
from mining_report.derive.dictionary import data_dictionary, datapackage
from mining_report.io import write_text
from mining_report.raw.provenance import load_sidecars


def main(job: Any) -> None:
    models = {table: CLEANED_MODELS[table] for table in job.params.tables}
    dictionary = data_dictionary(models)
    write_text(job.output.dictionary, dictionary.to_csv(index=False, lineterminator="\n"))
    sidecars = load_sidecars(job.params.raw_csvs)
    package = datapackage(models, Path(job.output.datapackage).parent, sidecars)
    text = json.dumps(package, indent=1, ensure_ascii=False, sort_keys=True)
    write_text(job.output.datapackage, text + "\n")
