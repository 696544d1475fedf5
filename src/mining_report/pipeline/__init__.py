"""The orchestration: the jobs Snakemake runs (``jobs``), what each job's code is
(``code_deps``), planning, the launcher of ``make report``, the manifest, publishing
and recovery."""
