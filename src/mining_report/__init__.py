"""China's 2021 crackdown on Bitcoin mining: the report pipeline, by stage.

One package per stage, in the order the pipeline runs; a stage imports only earlier
stages and the shared helpers at this level (tests/repo/test_layout.py checks it):

- ``raw``: the snapshots, their provenance sidecars, reading and validation, the
  raw models, and refreshing them from upstream;
- ``derive``: the cleaned tables, one module per family, and their models;
- ``numbers``: the numbers the prose quotes, one module per topic, and their lineage;
- ``charts``: one module per figure, the palette, and the output machinery;
- ``report``: references, the report's tables, rendering, the site, ``make explain``;
- ``pipeline``: the jobs Snakemake runs, planning, the launcher, publishing, recovery.

Shared helpers: ``registry`` (every cleaned table, chart and group of numbers,
declared once), ``errors``, ``io``, ``formatting``, ``vocabularies``,
``model_checks`` (what the pandera models share), ``config_file`` (loading the
config safely), ``checkout_lock`` and ``run_log``. Nothing here needs Snakemake.
"""

__version__ = "0.1.0"
