"""Pandera models of the tables compiled from press and official sources: the
crackdown's measures, the machine counts and the project's reading of them, other
published figures, the press articles the project started from, the ledger of
conflicting figures and the statements the report quotes; with the patterns of the
sources they cite."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from mining_report.model_checks import (
    CLAIM_REFERENCE,
    Model,
    http_url,
    one_of,
    page_year,
    press_date,
    table_check,
    text,
    text_id,
)
from mining_report.raw.models.ranges import MACHINE_COUNT_MAX
from mining_report.vocabularies import (
    CLAIM_CHOICES,
    CONFIDENCE_LEVELS,
    DESTINATION_COUNTRIES,
    JURISDICTIONS,
    MACHINE_FLOWS,
    MEASURES,
    QUOTE_MAX,
    SCOPES,
    STAGES,
    STATEMENT_TOPICS,
    STATEMENTS_START,
)

#: The file name of a press article's stored copy (a seed file), as the press tables' notes
#: cite it.
STORED_COPY = r"^[0-9]{3}_[0-9a-f]{16}\.txt$"

#: A publisher is an outlet's name: a stored copy's file name belongs in the notes, not here.
NO_STORED_COPY = r"^(?![\s\S]*[0-9]{3}_[0-9a-f]{16}\.txt)"

#: A corroborating source: a web link, or one of the project's seed articles.
SOURCE_REFERENCE = r"^(https?://[^\s<>\"']+|seed [0-9]{3}_[0-9a-f]{16}\.txt( \([^()]+\))?)$"


def _all_source_references(text: str) -> bool:
    """True when every " ; "-separated item is a web link or a seed reference."""
    return not text or all(re.fullmatch(SOURCE_REFERENCE, item) for item in text.split(" ; "))


class EventsRaw(Model):
    """Crackdown measures, one row each, compiled from press and official sources."""

    event_id: Series[str] = text_id("E")
    date_announced: Series[pd.Timestamp] = press_date()
    date_effective: Series[pd.Timestamp] = press_date()
    jurisdiction: Series[str] = one_of(JURISDICTIONS)
    authority: Series[str] = text(2)
    measure: Series[str] = one_of(MEASURES)
    scope: Series[str] = one_of(SCOPES)
    stage: Series[str] = one_of(STAGES)
    summary: Series[str] = text(10)
    source_title: Series[str] = text(2)
    source_publisher: Series[str] = text(2)
    source_url: Series[str] = http_url()
    source_date: Series[pd.Timestamp] = press_date()
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS)
    corroborating_sources: Series[str] = pa.Field(nullable=True)
    notes: Series[str] = text(2)

    @table_check("effective_on_or_after_announced", about="date_effective")
    def effective_on_or_after_announced(cls, df: pd.DataFrame) -> Series[bool]:
        both = df["date_announced"].notna() & df["date_effective"].notna()
        return ~both | (df["date_effective"] >= df["date_announced"])

    @pa.check("corroborating_sources", name="every_source_is_a_web_link_or_seed")
    def corroborating_links(cls, sources: Series[str]) -> Series[bool]:
        return sources.fillna("").map(_all_source_references)


class MachineFlowsRaw(Model):
    """Reported figures on mining machines leaving China or arriving elsewhere."""

    figure_id: Series[str] = text_id("M")
    date_reported: Series[pd.Timestamp] = press_date()
    metric: Series[str] = text(3)
    value: Series[str] = text(1)
    unit: Series[str] = text(1)
    entity: Series[str] = text(1)
    source_title: Series[str] = text(2)
    source_publisher: Series[str] = pa.Field(
        str_length={"min_value": 2}, str_matches=NO_STORED_COPY
    )
    source_author: Series[str] = text(2, nullable=True)
    source_url: Series[str] = http_url()
    source_date: Series[pd.Timestamp] = press_date()
    source_year: Series[pd.Int64Dtype] = page_year()
    relays: Series[str] = text(5, nullable=True)
    note: Series[str] = pa.Field(nullable=True)
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS)
    period: Series[str] = text(3, nullable=True)

    @table_check("a_page_is_dated_by_day_or_by_year", about="source_year")
    def dated_once(cls, df: pd.DataFrame) -> Series[bool]:
        return df["source_date"].isna() | df["source_year"].isna()

    @table_check("machine_counts_are_whole_and_0_to_5_million", about="value")
    def machine_counts(cls, df: pd.DataFrame) -> Series[bool]:
        counts = df["unit"].str.startswith("machines")
        number = pd.to_numeric(df["value"], errors="coerce")
        plausible = np.isfinite(number) & number.between(0, MACHINE_COUNT_MAX)
        whole = plausible & (number == number.round())
        # "205000 of 430000" is kept as the seed printed it; the conflict ledger explains it.
        pair = df["value"].str.extract(r"^([0-9]+) of ([0-9]+)$").astype(float)
        quoted_pair = pair.notna().all(axis=1) & (pair[1] <= MACHINE_COUNT_MAX)
        return ~counts | whole | quoted_pair


class MachineFlowEntitiesRaw(Model):
    """The project's reading of each machine count: destination, company and direction."""

    figure_id: Series[str] = text_id("M")
    destination_country: Series[str] = one_of(DESTINATION_COUNTRIES, nullable=True)
    company: Series[str] = text(2, nullable=True)
    flow: Series[str] = one_of(MACHINE_FLOWS)


class PublishedFiguresRaw(Model):
    """Published figures that a conflict or a derived table needs and no other raw table holds."""

    figure_id: Series[str] = text_id("P")
    date: Series[pd.Timestamp] = press_date()
    claim: Series[str] = text(10)
    value: Series[str] = text(1)
    unit: Series[str] = text(1)
    source_title: Series[str] = text(5)
    source_publisher: Series[str] = pa.Field(
        str_length={"min_value": 2}, str_matches=NO_STORED_COPY
    )
    # Empty only for a claim of a seed article whose address is unknown (seed 000).
    source_url: Series[str] = http_url(nullable=True)
    source_date: Series[pd.Timestamp] = press_date()
    source_year: Series[pd.Int64Dtype] = page_year()
    relays: Series[str] = text(5, nullable=True)
    note: Series[str] = text(2)
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS)

    @table_check("a_page_is_dated_by_day_or_by_year", about="source_year")
    def dated_once(cls, df: pd.DataFrame) -> Series[bool]:
        return df["source_date"].isna() | df["source_year"].isna()


class PressArticlesRaw(Model):
    """The five press articles the project started from, as identified: who published them,
    where, and the stored copy of each one's text."""

    article_id: Series[str] = pa.Field(str_matches=r"^[0-9]{3}$", unique=True)
    stored_copy: Series[str] = pa.Field(str_matches=STORED_COPY, unique=True)
    outlet: Series[str] = text(2, nullable=True)
    title: Series[str] = text(5, nullable=True)
    author: Series[str] = text(2, nullable=True)
    url: Series[str] = http_url(nullable=True)
    date_published: Series[pd.Timestamp] = press_date()
    date_written: Series[pd.Timestamp] = press_date()
    relays: Series[str] = text(5, nullable=True)
    identification: Series[str] = text(20)

    @table_check("an_identified_article_has_outlet_and_address", about="article_id")
    def identified(cls, df: pd.DataFrame) -> Series[bool]:
        # An unidentified article says so; one with an outlet must say where it was found.
        return df["outlet"].isna() == df["url"].isna()


class ConflictingFiguresRaw(Model):
    """The ledger of conflicting figures: two claims by reference, which one the report uses,
    and why."""

    conflict_id: Series[str] = text_id("K")
    topic: Series[str] = text(5)
    claim_a: Series[str] = pa.Field(str_matches=CLAIM_REFERENCE)
    claim_b: Series[str] = pa.Field(str_matches=CLAIM_REFERENCE)
    used: Series[str] = one_of(CLAIM_CHOICES)
    why: Series[str] = text(20)

    @table_check("claims_differ", about="claim_b")
    def claims_differ(cls, df: pd.DataFrame) -> Series[bool]:
        return df["claim_a"] != df["claim_b"]


class SourceStatementsRaw(Model):
    """Statements the report quotes that are not figures, each with a short verbatim quote."""

    statement_id: Series[str] = text_id("S")
    topic: Series[str] = one_of(STATEMENT_TOPICS)
    statement: Series[str] = text(10)
    # A short quote, as a citation may carry: no longer than a long sentence.
    quote: Series[str] = pa.Field(str_length={"min_value": 10, "max_value": QUOTE_MAX})
    source_title: Series[str] = text(2)
    source_publisher: Series[str] = text(2)
    source_author: Series[str] = text(2, nullable=True)
    source_url: Series[str] = http_url()
    # A page may predate the crackdown: the map's launch coverage of 2020.
    source_date: Series[pd.Timestamp] = press_date(start=STATEMENTS_START)
    relays: Series[str] = text(5, nullable=True)
    confidence: Series[str] = one_of(CONFIDENCE_LEVELS)
