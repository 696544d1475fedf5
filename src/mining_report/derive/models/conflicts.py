"""The pandera model of the cleaned conflict ledger: figures that disagree, each claim
resolved to its value, unit and source."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from mining_report.model_checks import CLAIM_REFERENCE, Model, one_of
from mining_report.vocabularies import CLAIM_CHOICES


class SourceConflicts(Model):
    """The ledger of figures that disagree, each claim resolved to its value and source.

    Claims are references into the raw and cleaned tables (see the sidecar of
    data/raw/press/conflicting_figures.csv); values are text as in the data, numbers of
    cleaned tables rounded to 2 decimals; a claim's unit and source come with it.
    Key: conflict_id.
    """

    conflict_id: Series[str] = pa.Field(
        str_matches=r"^K\d{2}$", description="Conflict K01, K02, ..."
    )
    topic: Series[str] = pa.Field(description="What the two claims disagree about")
    claim_a_ref: Series[str] = pa.Field(
        str_matches=CLAIM_REFERENCE, description="Reference of the claim under question"
    )
    claim_a_value: Series[str] = pa.Field(description="Its value, as text")
    claim_a_unit: Series[str] = pa.Field(description="Its unit, as recorded with it")
    claim_a_source: Series[str] = pa.Field(description="Its source: publisher and URL, or dataset")
    claim_b_ref: Series[str] = pa.Field(
        str_matches=CLAIM_REFERENCE, description="Reference of the claim it is checked against"
    )
    claim_b_value: Series[str] = pa.Field(description="Its value, as text")
    claim_b_unit: Series[str] = pa.Field(description="Its unit, as recorded with it")
    claim_b_source: Series[str] = pa.Field(description="Its source: publisher and URL, or dataset")
    used: Series[str] = one_of(CLAIM_CHOICES, "Which claim the report uses: a, b or neither")
    why: Series[str] = pa.Field(description="Why, in the project's words")

    class Config:
        ordered = True
        unique = ["conflict_id"]
