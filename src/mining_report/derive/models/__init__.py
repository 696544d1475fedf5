"""Pandera models of the cleaned tables: what the pipeline writes to data/processed/.

Each model's docstring is its table's description, its ``Config.unique`` its key, and
its fields' descriptions and units the data dictionary's (see ``tables.py``); the
derivations in the domain modules finish every table with its model.

One module per family of tables, as the derivations are grouped: ``hashrate`` (where
the hashrate was), ``shutdowns`` (the crackdown's measures), ``network`` (the weekly
price and network series and the difficulty adjustments), ``prices`` (what machines
cost), ``machines`` (mining machines leaving China) and ``conflicts`` (the ledger of
figures that disagree). The registry names each model by its module.
"""
