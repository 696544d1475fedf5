"""Pure functions behind the mining-migration report pipeline.

Each module covers one stage: ``provenance`` (raw snapshots and their sidecars),
``schemas`` and ``validation`` (pandera models and readable verdicts), ``derive``
(cleaned tables), ``charts`` (Altair specifications), ``variables`` (numbers quoted
in the report), ``bibliography`` and ``render`` (HTML and PDF). Nothing here needs
Snakemake; the scripts in ``workflow/scripts`` are thin adapters.
"""

__version__ = "0.1.0"
