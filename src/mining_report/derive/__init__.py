"""Stage 2, the cleaned tables: one module per table family, the models they are
validated against, and their data dictionary."""
