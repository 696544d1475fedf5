"""What every model shares: the base model, the patterns of text columns, and one
factory per kind of column.

A factory says once what a kind of column is: its range or pattern, and its unit. A
field adds only what is its own: its description, whether it may be empty, a narrower
range. Raw columns are described in their sidecars (``columns:``), so a raw field has
neither description nor unit; a cleaned field is described in its model, and the data
dictionary prints the description with the unit the factory gives it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera import extensions

from mining_report.vocabularies import (
    CITABLE_TABLES,
    DAILY_START,
    LATEST_POSSIBLE,
    PAGE_YEAR_START,
    PRESS_START,
    STUDY_END,
)

#: A web link in a raw table: http or https, nothing else (no javascript:, data:, file:).
HTTP_URL = r"^https?://[^\s<>\"']+$"

#: A claim in the conflict ledger: a row of a press table (an event's announcement day,
#: or with ":measure" the kind of measure), or one value of a cleaned table as
#: <table>:<month>:<country or province>:<column>.
CLAIM_REFERENCE = (
    r"^(machine_flows:M[0-9]{2}|events:E[0-9]{2}(:measure)?|published_figures:P[0-9]{2}"
    rf"|({'|'.join(CITABLE_TABLES)}):[0-9]{{4}}-[0-9]{{2}}-01:[^:]+:[a-z_]+)$"
)

#: The description of a column of first days of months.
FIRST_DAY_OF_MONTH = "First day of the month"


def ascii_id(letter: str) -> str:
    """The pattern of a two-digit id such as E08: ASCII digits (``\\d`` also takes "٠٨")."""
    return rf"^{letter}[0-9]{{2}}$"


class Model(pa.DataFrameModel):
    """The base of every model: exactly the declared columns, coerced to their types."""

    class Config:
        strict = True
        coerce = True


# --- table-level checks ------------------------------------------------------------

#: The attribute in which :func:`table_check` records the column a check is about.
_ABOUT = "_check_is_about"


def table_check(name: str, *, about: str) -> Callable[[Callable[..., Any]], Any]:
    """Declare a table-level (dataframe) check ``name`` about the column ``about``.

    Pandera reports a failed table-level check once per column of each offending row;
    ``about`` names the one column that matters, so that a failure report lists each
    row once, with that column's value (see :func:`check_columns_of`).
    """

    def decorate(fn: Callable[..., Any]) -> Any:
        method = pa.dataframe_check(fn, name=name)
        setattr(method, _ABOUT, (name, about))
        return method

    return decorate


def check_columns_of(model: type[pa.DataFrameModel]) -> dict[str, str]:
    """Table-level check name → the column it is about, as ``model``'s checks declare it."""
    found: dict[str, str] = {}
    for klass in reversed(model.__mro__):
        for attribute in vars(klass).values():
            about = getattr(attribute, _ABOUT, None)
            if about is not None:
                name, column = about
                found[name] = column
    return found


# --- field factories ---------------------------------------------------------------


def _field(
    *,
    description: str | None = None,
    unit: str | None = None,
    nullable: bool = False,
    unique: bool = False,
    **checks: Any,
) -> Any:
    """A pandera field; a described one carries its unit as metadata."""
    return pa.Field(
        description=description,
        metadata={"unit": unit} if unit and description else None,
        # Passed only when set, as a field written by hand would be.
        nullable=True if nullable else None,
        unique=unique,
        **checks,
    )


def text(min_length: int, *, nullable: bool = False) -> Any:
    """Text of at least ``min_length`` characters."""
    return _field(str_length={"min_value": min_length}, nullable=nullable)


def text_id(letter: str) -> Any:
    """A row's id: ``letter`` and two ASCII digits (E08), unique in its table."""
    return _field(str_matches=ascii_id(letter), unique=True)


def http_url(*, nullable: bool = False) -> Any:
    """A web link, http or https (see :data:`HTTP_URL`)."""
    return _field(str_matches=HTTP_URL, nullable=nullable)


def one_of(
    vocabulary: Iterable[str], description: str | None = None, *, nullable: bool = False
) -> Any:
    """A word of a controlled vocabulary (for a mapping, one of its keys)."""
    return _field(isin=list(vocabulary), description=description, nullable=nullable)


def press_date(*, nullable: bool = True, start: pd.Timestamp = PRESS_START) -> Any:
    """A date in the press tables: from the crackdown year (or ``start``) to the study's
    end; most may be unknown."""
    return _field(ge=start, le=STUDY_END, nullable=nullable)


def page_year() -> Any:
    """The year a page was published, where the page or the data give the year but not
    the day (a quarterly report, "early 2022"): from the Mining Map's launch, 2020, to
    the study's end."""
    return _field(ge=PAGE_YEAR_START, le=STUDY_END.year, nullable=True)


@extensions.register_check_method(statistics=[], check_type="vectorized", supported_types=pd.Series)
def first_day_of_month(dates: pd.Series) -> pd.Series:
    """Each date is the first day of its month (registered, so a field can name it)."""
    return dates.dt.is_month_start


def month_start(
    ge: pd.Timestamp | None = None,
    le: pd.Timestamp | None = None,
    *,
    description: str | None = FIRST_DAY_OF_MONTH,
) -> Any:
    """A month, as its first day, within ``ge``..``le`` when given."""
    return _field(ge=ge, le=le, description=description, first_day_of_month=())


def coin_metrics_day(
    description: str | None = None, *, nullable: bool = False, unique: bool = False
) -> Any:
    """A day of the Coin Metrics daily series, which a refresh may extend."""
    return _field(
        ge=DAILY_START,
        le=LATEST_POSSIBLE,
        description=description,
        nullable=nullable,
        unique=unique,
    )


def measure(unit: str, description: str, *, nullable: bool = False, **bounds: Any) -> Any:
    """A quantity in ``unit``, within ``bounds`` (``gt``, ``ge``, ``le``) when given."""
    return _field(unit=unit, description=description, nullable=nullable, **bounds)


def share_pct(description: str | None = None, *, nullable: bool = False) -> Any:
    """A share in percent, 0 to 100."""
    return _field(ge=0, le=100, unit="percent", description=description, nullable=nullable)


def change_pct(description: str) -> Any:
    """A change in percent: a quantity cannot fall by more than all of it."""
    return measure("percent", description, ge=-100)


def count(description: str, *, unit: str | None = None, nullable: bool = False) -> Any:
    """A count of things, ``unit`` when they have a name: never negative."""
    return _field(ge=0, unit=unit, description=description, nullable=nullable)


def ehs(description: str | None = None, **bounds: Any) -> Any:
    """A hashrate in EH/s, within ``bounds`` when given."""
    return _field(unit="EH/s", description=description, **bounds)


def usd_per_th(description: str, *, nullable: bool = False) -> Any:
    """An asking price per TH/s of hashrate, in USD: above zero."""
    return measure("USD per TH/s", description, nullable=nullable, gt=0)
