"""Pandera models of the cleaned tables of mining machines leaving China: every machine
count reported in the press, normalized, and where the machines tracked by the FT
went."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from mining_report.model_checks import Model, count, one_of, share_pct
from mining_report.vocabularies import (
    CONFIDENCE_LEVELS,
    DESTINATION_COUNTRIES,
    MACHINE_FLOWS,
    STUDY_END,
)


class MachineExports(Model):
    """Every machine count reported in the press, normalized: one row per figure.

    Destination, company and flow are the project's reading of each figure
    (data/raw/press/machine_flow_entities.csv); the count and its wording are the
    source's. Flow vocabulary: "left China" (moved, shipped or relocated out of China:
    the exporters' side), "arrived abroad" (received, hosted, delivered or deployed
    outside China: the receivers' side), "in China" (located in China at a date),
    "seized at export" (held by Chinese customs) and "other" (orders, sales,
    capacities, planned moves, a disputed count). Unit: ``machines`` in machines.
    Key: figure_id.
    """

    figure_id: Series[str] = pa.Field(
        str_matches=r"^M\d{2}$", description="Figure in machine_flows (M01-M70)"
    )
    date_reported: Series[pd.Timestamp] = pa.Field(
        le=STUDY_END,
        nullable=True,
        description="Date of the report giving the figure; empty if none",
    )
    metric: Series[str] = pa.Field(description="What the figure counts, in the project's words")
    machines: Series[pd.Int64Dtype] = count(
        "The count; for a count printed 'N of M', N", unit="machines"
    )
    first_of_pair: Series[bool] = pa.Field(
        description="True when the source printed 'N of M' and machines holds N (M06)"
    )
    qualifier: Series[str] = pa.Field(
        nullable=True,
        description="The unit's qualifier as reported, e.g. 'at least'; empty if none",
    )
    destination_country: Series[str] = one_of(
        DESTINATION_COUNTRIES,
        "Country outside China the machines went to or were in; empty if none named",
        nullable=True,
    )
    company: Series[str] = pa.Field(
        nullable=True, description="Company, host or maker the count is about; empty if none"
    )
    flow: Series[str] = one_of(MACHINE_FLOWS, "Where the count puts the machines (see above)")
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS, "How well the figure is attested")
    source_publisher: Series[str] = pa.Field(description="Publisher of the primary source")
    source_url: Series[str] = pa.Field(description="URL of the primary source")
    in_conflict_ledger: Series[bool] = pa.Field(
        description="True when source_conflicts cites the figure as one of its claims"
    )

    class Config:
        ordered = True
        unique = ["figure_id"]


class MachineExportsByDestination(Model):
    """Where the machines tracked by the FT went (November 2021), one row per country.

    Ranks of counted countries follow their counts; a rank reported without a count
    is taken as published; countries named after the last rank without an order share
    the next rank. The share is of all machines tracked to a destination ("over
    430,000", M03; a single-source figure): a share of counts that are bounds or
    approximations, so it is rounded to a whole percent and means "about". Units:
    ``machines`` in machines, ``share_of_tracked_pct`` in percent. Key:
    destination_country.
    """

    destination_country: Series[str] = one_of(DESTINATION_COUNTRIES, "Destination country")
    machines: Series[pd.Int64Dtype] = count(
        "Machines moved there; empty where the source gives only a rank or a name",
        unit="machines",
        nullable=True,
    )
    qualifier: Series[str] = pa.Field(
        nullable=True,
        description="How the source bounds the count ('at least', ...); empty: as stated",
    )
    rank: Series[int] = pa.Field(ge=1, description="Position among destinations, 1 = most")
    share_of_tracked_pct: Series[float] = share_pct(
        "About this share: machines / machines tracked to any destination x 100, to a "
        "whole percent (the counts are bounds)",
        nullable=True,
    )

    @pa.check("share_of_tracked_pct", name="whole_percent")
    def whole_percent(cls, share: Series[float]) -> Series[bool]:
        return share.isna() | (share == share.round())

    figure_ids: Series[str] = pa.Field(
        description="Figures the row comes from (machine_flows M.., published_figures P..), ' ; '"
    )
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS, "The weakest confidence of those figures")

    class Config:
        ordered = True
        unique = ["destination_country"]
