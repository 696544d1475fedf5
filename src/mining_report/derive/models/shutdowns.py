"""Pandera models of the cleaned tables of the crackdown's measures: each measure with
the hashrate share its jurisdiction held, and the share of China's hashrate under a stop
order, day by day."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from mining_report.model_checks import Model, month_start, one_of, share_pct
from mining_report.vocabularies import (
    CONFIDENCE_LEVELS,
    EXPOSURE_WEIGHTS,
    JURISDICTIONS,
    LATEST_POSSIBLE,
    MEASURES,
    SCOPES,
    STAGES,
    STUDY_START,
)


class Shutdowns(Model):
    """The crackdown's measures, each with the hashrate share its jurisdiction held.

    Exposure is the jurisdiction's share in the baseline month (config
    ``analysis.baseline_month``, the last full month before the first measure): a
    province's share from the province table, a national measure's from the country
    table (all of China). For a measure narrower than its province (``scope`` a
    prefecture or city, a park or company, a person) the province's share is only
    an upper bound on what it reached. Provinces that CCAF folds into "Other" have
    an unknown exposure; ``exposure_note`` says why. Key: event_id.
    """

    event_id: Series[str] = pa.Field(str_matches=r"^E\d{2}$", description="Event identifier")
    date_announced: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="Day the measure was announced (missing: day unknown)"
    )
    date_effective: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="Stated deadline or effective day, if any"
    )
    jurisdiction: Series[str] = one_of(JURISDICTIONS, "Province or national")
    authority: Series[str] = pa.Field(description="Issuing body as the sources name it")
    measure: Series[str] = one_of(MEASURES, "Kind of measure")
    scope: Series[str] = one_of(SCOPES, "Whom the measure reaches, from all of China to one person")
    stage: Series[str] = one_of(STAGES, "Draft for comment, or final")
    summary: Series[str] = pa.Field(description="What the measure did, in the project's words")
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS, "How well the date is attested")
    source_publisher: Series[str] = pa.Field(description="Publisher of the primary source")
    source_url: Series[str] = pa.Field(
        str_matches=r"^https?://", description="Primary source (http or https)"
    )
    exposure_month: Series[pd.Timestamp] = month_start(
        STUDY_START, LATEST_POSSIBLE,
        description="CCAF month the exposure is read from: the baseline month",
    )  # fmt: skip
    exposure_share_of_china_pct: Series[float] = share_pct(
        "Jurisdiction's share of China's hashrate in the baseline month", nullable=True
    )
    exposure_share_of_global_pct: Series[float] = share_pct(
        "Jurisdiction's share of global hashrate in the baseline month", nullable=True
    )
    exposure_is_upper_bound: Series[bool] = pa.Field(
        description="True when the measure is narrower than its province: the share is at most"
    )
    exposure_note: Series[str] = pa.Field(
        description="Where the exposure comes from, or why it is unknown"
    )

    class Config:
        unique = ["event_id"]


class ShutdownExposure(Model):
    """The share of China's hashrate under a stop order, day by day.

    Two bounds, so that neither claims more than the sources show. ``certain``
    counts a province from the announcement of a final ban, shutdown order or
    power cut-off that covers the whole province (or all of China); ``at_most``
    also counts the whole province of one that reached only part of it (a city,
    an industrial park, a company), and CCAF's whole "Other" once one reaches a
    province CCAF folds into it. Every measure is dated by its announcement, the
    one date every dated measure has; a measure without a day is not counted.
    Drafts for comment are not orders. A national order covers all of China.

    Each day appears twice, with the provinces weighted by two months' shares:
    the baseline month set in config/config.yaml (the dry season), and the month
    Sichuan's share of China peaked in the year before it (the wet season), so
    that the effect of the choice of month shows. Key: weights, date.
    """

    weights: Series[str] = one_of(EXPOSURE_WEIGHTS, "Which month's shares weight the provinces")
    weights_month: Series[pd.Timestamp] = month_start(
        STUDY_START, LATEST_POSSIBLE, description="CCAF month whose provincial shares are used"
    )
    date: Series[pd.Timestamp] = pa.Field(description="Day")
    certain_share_of_china_pct: Series[float] = share_pct(
        "Share of China's hashrate (in the weights month) certainly under a stop order"
    )
    at_most_share_of_china_pct: Series[float] = share_pct(
        "Share of China's hashrate (in the weights month) at most under a stop order"
    )
    provinces_certain: Series[str] = pa.Field(
        nullable=True,
        description="Provinces (or national) under a whole-province order, ' ; '-separated",
    )
    provinces_partial: Series[str] = pa.Field(
        nullable=True,
        description="Provinces reached only in part by that day, ' ; '-separated",
    )
    orders_from_today: Series[str] = pa.Field(
        nullable=True, description="Stop orders announced that day (event ids), ' ; '-separated"
    )

    class Config:
        unique = ["weights", "date"]

    @pa.dataframe_check(name="bounds_never_decrease")
    def bounds_never_decrease(cls, df: pd.DataFrame) -> bool:
        bounds = ["certain_share_of_china_pct", "at_most_share_of_china_pct"]
        by_day = df.sort_values("date").groupby("weights")[bounds]
        return bool(
            by_day.apply(lambda g: g.apply(lambda s: s.is_monotonic_increasing)).all().all()
        )

    @pa.dataframe_check(name="one_month_per_weights")
    def one_month_per_weights(cls, df: pd.DataFrame) -> bool:
        return bool((df.groupby("weights")["weights_month"].nunique() <= 1).all())

    @pa.dataframe_check(name="certain_within_at_most")
    def certain_within_at_most(cls, df: pd.DataFrame) -> Series[bool]:
        return df["certain_share_of_china_pct"] <= df["at_most_share_of_china_pct"]
