"""The pipeline's jobs: one module per kind of job, each with ``main(job)``.

A rule of the workflow runs its job with ``step.run_job(kind, job)``, inside the
Snakemake process: ``job`` carries the rule's input, output, params, wildcards and
log. Each module imports only what its job needs; the workflow computes each job's
dependencies on the package's code from these imports (``code_deps.code_files``).
"""
