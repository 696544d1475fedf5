"""Numbers quoted in the report's prose, computed from the cleaned tables.

Each function answers one question and returns the formatted strings the text
quotes, keyed by the variable name the `.qmd` uses. A word in the prose such as
"peak", "lowest" or "first" is computed as exactly that here: a peak is the
maximum of the series named, a trough its minimum, a first the earliest date.
Shares keep CCAF's two decimals; a share of counts that are themselves bounds
("at least", "more than") is rounded to a whole percent and read "about".

One module per family of tables, each ending in its group of numbers (a
function named for the group, ``<group>_group``, one job of the registry's
``NUMBERS``; the functions it calls are ``<topic>_numbers``): ``hashrate`` (with
``migration``), ``shutdowns``, ``prices``, ``machines``, ``press`` and ``data``;
``common`` holds what they share.
"""
