"""Write the data dictionary and datapackage.json for the cleaned tables."""

import json
from pathlib import Path

from mining_report import step
from mining_report.catalog import PROCESSED_MODELS
from mining_report.dictionary import data_dictionary, datapackage
from mining_report.io import write_text
from mining_report.provenance import load_sidecars


def main(snakemake) -> None:
    models = {table: PROCESSED_MODELS[table] for table in snakemake.params.tables}
    dictionary = data_dictionary(models)
    write_text(snakemake.output.dictionary, dictionary.to_csv(index=False, lineterminator="\n"))
    sidecars = load_sidecars(snakemake.params.raw_csvs)
    package = datapackage(models, Path(snakemake.output.datapackage).parent, sidecars)
    text = json.dumps(package, indent=1, ensure_ascii=False, sort_keys=True)
    write_text(snakemake.output.datapackage, text + "\n")


step.run(lambda: main(snakemake), snakemake.log[0])  # noqa: F821
