"""Press figures quoted one by one, and the months of the sources' own words."""

from __future__ import annotations

import pandas as pd

from mining_report.formatting import day_text, month_text, number, percent, with_unit
from mining_report.numbers.common import DAY, FLOWS, MONTH, STATEMENTS, TEXT, _is, merge
from mining_report.numbers.lineage import Format, pick, quote

#: Press figures the text quotes one by one: variable → (figure id, unit, decimals).
#: The unit is written after the number; "" for a bare count; None for the row's own
#: unit text ("8 of the 10 largest").
PRESS_FIGURES: dict[str, tuple[str, str | None, int]] = {
    "machines_idle_in_storage": ("M16", "", 0),
    "machines_stuck_in_sichuan": ("M62", "", 0),
    "mega_farms_expanded": ("M17", None, 0),
    "marathon_bitmain_machines": ("M28", "", 0),
    "bitriver_machines": ("M05", "", 0),
    "bitcluster_machines": ("M07", "", 0),
    "bitfufu_kazakhstan_machines": ("M10", "", 0),
    "bit_mining_kazakhstan_machines": ("M11", "", 0),
    "s19_price_fall": ("M30", "%", 1),
    "top_tier_price_fall": ("M31", "%", 0),
    "secondhand_cny_april": ("M33", "CNY per TH/s", 0),
    "secondhand_cny_june": ("M32", "CNY per TH/s", 0),
    "luxor_summer_high": ("M36", "USD per TH/s", 2),
    "luxor_summer_low": ("M37", "USD per TH/s", 2),
    "luxor_q3_close": ("M38", "USD per TH/s", 2),
    "kazakh_facility_rigs": ("M54", "", 0),
}

#: Press figures that are lists of names: variable → figure id ("a; b; c" in the row).
PRESS_LISTS: dict[str, str] = {"bitmain_countries": "M42", "bitmain_markets": "M71"}

#: Press figures whose period, as the source words it, the text quotes: variable → figure id.
PRESS_PERIODS: dict[str, str] = {
    "ft_machines_period": "M01",
    "marathon_purchase_period": "M28",
    "s19_price_fall_period": "M30",
    "top_tier_price_fall_period": "M31",
    "secondhand_june_period": "M32",
    "secondhand_april_period": "M33",
    "luxor_q3_close_period": "M38",
}

#: Press figures whose date of report the text quotes: variable → figure id.
PRESS_DATES: dict[str, str] = {
    "bitmain_suspension_day": "M41",
    "ft_survey_day": "M01",
    "kazakh_shutdown_report_day": "M54",
}


def _metric(rows: pd.DataFrame, figure: str) -> str:
    """What a press figure counts, in the compiler's words."""
    return str(rows.loc[figure].get("metric", "the figure as the press gave it"))


def press_figure_numbers(machine_flows: pd.DataFrame) -> dict[str, str]:
    """Single press figures as quoted: the number in its unit, or the day it was reported."""
    rows = machine_flows.set_index("figure_id")
    out = {}
    for name, (figure, unit, decimals) in PRESS_FIGURES.items():
        value = float(rows.loc[figure, "value"])
        if unit is None:
            unit = str(rows.loc[figure, "unit"])
        if unit == "%":
            text, fmt = percent(value, decimals), Format(kind="percent", decimals=decimals)
        elif unit:
            text = with_unit(value, unit, decimals)
            fmt = Format(kind="unit", unit=unit, decimals=decimals)
        else:
            text, fmt = number(value, decimals), Format(kind="number", decimals=decimals)
        out[name] = quote(
            text,
            f"as reported: {_metric(rows, figure)}",
            pick(FLOWS, "value", where=[_is("figure_id", figure)]),
            fmt=fmt,
        )
    for name, figure in PRESS_LISTS.items():
        names = [part.strip() for part in str(rows.loc[figure, "value"]).split(";")]
        names = [f"the {n}" if n == "United States" else n for n in names]
        out[name] = quote(
            ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0],
            f"as reported: {_metric(rows, figure)}",
            pick(FLOWS, "value", where=[_is("figure_id", figure)]),
            fmt=Format(kind="names"),
        )
    for name, figure in PRESS_PERIODS.items():
        period = rows.loc[figure, "period"]
        if pd.isna(period):
            raise ValueError(f"machine_flows: {figure} states no period for {name}")
        out[name] = quote(
            str(period),
            f"the period of the figure, as its source words it: {_metric(rows, figure)}",
            pick(FLOWS, "period", where=[_is("figure_id", figure)]),
            fmt=TEXT,
        )
    for name, figure in PRESS_DATES.items():
        out[name] = quote(
            day_text(pd.Timestamp(rows.loc[figure, "date_reported"])),
            f"the day of the report: {_metric(rows, figure)}",
            pick(FLOWS, "date_reported", where=[_is("figure_id", figure)]),
            fmt=DAY,
        )
    return out


def statement_numbers(source_statements: pd.DataFrame) -> dict[str, str]:
    """The month of each statement whose page is dated by day (``statement_s03_month``),
    for the text that says when it was said; the words themselves the text quotes as
    they stand in the table (tests/data/test_prose.py holds it to them)."""
    out: dict[str, str] = {}
    for row in source_statements.itertuples():
        if pd.notna(row.source_date):
            out[f"statement_{row.statement_id.lower()}_month"] = quote(
                month_text(pd.Timestamp(row.source_date)),
                f"the month of the page that says it: {row.topic}",
                pick(STATEMENTS, "source_date", where=[_is("statement_id", row.statement_id)]),
                fmt=MONTH,
            )
    return out


def press_group(machine_flows: pd.DataFrame, source_statements: pd.DataFrame) -> dict[str, str]:
    """Single press figures as quoted, and the sources' own words."""
    return merge(press_figure_numbers(machine_flows), statement_numbers(source_statements))
