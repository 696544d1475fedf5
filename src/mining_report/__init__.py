"""Pure functions behind the mining-migration report pipeline.

Each module covers one stage: ``provenance`` (raw snapshots and their sidecars),
``schemas`` and ``validation`` (pandera models and readable verdicts), ``hashrate``,
``shutdowns``, ``prices`` and ``machines`` (cleaned tables), ``charts`` (Altair
specifications), ``variables`` (numbers quoted in the report), ``bibliography`` and
``render`` (HTML and PDF). ``registry`` declares every cleaned table and chart once;
``jobs`` holds what each rule of the workflow runs. Nothing here needs Snakemake.
"""

__version__ = "0.1.0"
