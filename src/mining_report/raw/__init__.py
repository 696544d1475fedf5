"""Stage 1, the raw snapshots: their provenance, reading and validation, their models,
and fetching them anew from upstream (``make refresh``)."""
