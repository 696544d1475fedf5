"""Checks Snakemake runs while it plans, before any job starts.

Once the config file has loaded safely and has the shapes of its JSON Schema
(``config_file``): what the config means (a date that exists, a base week inside the
data: ``check_config``), the tables the report cites, and the raw inputs themselves
(regular files inside the project). Each problem is one line naming the config key or
the file. Light on purpose: the Snakefile imports it on every run, no-op runs included.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mining_report.errors import one_line
from mining_report.vocabularies import (
    CCAF_COUNTRY_MONTHS,
    CCAF_PROVINCE_MONTHS,
    DAILY_END,
    DAILY_START,
    PRESS_START,
    STUDY_END,
)

#: The raw tables that have a pandera model in ``raw.models.RAW_MODELS`` (kept here so
#: planning need not import pandera; tests/test_planning.py holds the two equal).
MODELLED_TABLES: tuple[str, ...] = (
    "cbeci_countries",
    "cbeci_provinces",
    "events",
    "machine_flows",
    "machine_flow_entities",
    "published_figures",
    "conflicting_figures",
    "source_statements",
    "press_articles",
    "coinmetrics_btc_daily",
    "asic_models",
    "asic_listings",
)


def _day(value: Any, key: str, problems: list[str]) -> dt.date | None:
    """A config value that must be a real calendar day, YYYY-MM-DD."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    problems.append(f"config key {key}: {text!r} is not a date (YYYY-MM-DD, a day that exists)")
    return None


def _within(day: dt.date, start: Any, end: Any, key: str, what: str, problems: list[str]) -> None:
    first, last = start.date(), end.date()
    if not first <= day <= last:
        problems.append(
            f"config key {key}: {day} is outside {what} ({first} to {last}); "
            "choose a date inside the data"
        )


def _mapping(config: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """``config[key]`` if it is a mapping, else an empty one."""
    value = config.get(key)
    return value if isinstance(value, Mapping) else {}


def check_config(config: Mapping[str, Any]) -> list[str]:
    """Problems with what the config means, one line each, naming the key."""
    problems: list[str] = []
    # The schema has checked the shapes; these checks do not rely on it all the same
    # (a value of the wrong shape is skipped here, never a traceback).
    if not isinstance(config, Mapping):
        return problems
    report = _mapping(config, "report")
    if "date" in report:
        _day(report["date"], "report.date", problems)
    analysis = _mapping(config, "analysis")
    if "base_week" in analysis:
        day = _day(analysis["base_week"], "analysis.base_week", problems)
        if day is not None:
            monday = day - dt.timedelta(days=day.weekday())
            try:
                sunday = monday + dt.timedelta(days=6)
            except OverflowError:  # the last week of year 9999
                sunday = dt.date.max
            first, last = DAILY_START.date(), DAILY_END.date()
            if monday < first or sunday > last:
                problems.append(
                    f"config key analysis.base_week: the week {monday} to {sunday} is not "
                    f"inside the daily data ({first} to {last})"
                )
    months = {"analysis.baseline_month": analysis.get("baseline_month")}
    for name, value in _mapping(analysis, "migration_months").items():
        months[f"analysis.migration_months.{name}"] = value
    for key, value in months.items():
        if value is None or (key == "analysis.migration_months.latest" and value == "last"):
            continue  # "last" is the data's last month, whatever it is
        day = _day(value, key, problems)
        if day is None:
            continue
        if day.day != 1:
            problems.append(f"config key {key}: {day} is not the first day of a month")
        elif key == "analysis.baseline_month":
            # The baseline of shutdown_exposure: China's provinces must have shares then.
            _within(day, *CCAF_PROVINCE_MONTHS, key, "CCAF's province months", problems)
        else:
            _within(day, *CCAF_COUNTRY_MONTHS, key, "CCAF's country months", problems)
    year = analysis.get("exposure_year")
    if (
        isinstance(year, int)
        and not isinstance(year, bool)
        and not PRESS_START.year <= year <= STUDY_END.year
    ):
        problems.append(
            f"config key analysis.exposure_year: {year} is outside the crackdown measures' "
            f"years ({PRESS_START.year} to {STUDY_END.year})"
        )
    for table in _mapping(config, "raw_tables"):
        if table not in MODELLED_TABLES:
            problems.append(
                f"config key raw_tables.{table}: no pandera model for it; add one to "
                "RAW_MODELS in src/mining_report/raw/models/__init__.py"
            )
    return [one_line(problem) for problem in problems]  # a key may hold a line break


def check_citations(document: str | Path, raw_tables: Mapping[str, str]) -> list[str]:
    """Every raw table the report cites ([@table]) must still be configured."""
    text = Path(document).read_text(encoding="utf-8")
    cited = sorted(set(re.findall(r"@([a-z][a-z0-9_]*)\b", text)))
    return [
        f"config key raw_tables.{name}: missing, but {document} cites [@{name}]"
        for name in cited
        if name in MODELLED_TABLES and name not in raw_tables
    ]


def _escapes(path: Path, root: Path) -> bool:
    return not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def check_raw_inputs(raw_tables: Mapping[str, str], root: str | Path = ".") -> list[str]:
    """Raw inputs must be regular files inside the project: no symlink that leaves it,
    no FIFO or device (reading one would wait forever). Nothing is opened here.
    """
    root = Path(root)
    problems = []
    for table, csv in raw_tables.items():
        for path in (Path(csv), Path(csv[: -len(".csv")] + ".meta.yml")):
            where = root / path
            if not os.path.lexists(where):
                if path.suffix == ".csv":
                    problems.append(f"{path}: listed in config raw_tables.{table} but missing")
                continue
            if _escapes(where, root):
                problems.append(
                    f"{path}: leads outside the project (to {os.path.realpath(where)}) "
                    "through a symlink; copy the snapshot into data/raw/ instead"
                )
                continue
            try:
                mode = os.stat(where).st_mode
            except OSError as err:
                problems.append(f"{path}: cannot be read ({err.strerror})")
                continue
            if not stat.S_ISREG(mode):
                problems.append(f"{path}: is not a regular file (a FIFO, device or folder)")
    raw_dir = root / "data" / "raw"
    for folder, dirs, files in os.walk(raw_dir):
        for name in [*dirs, *files]:
            entry = Path(folder) / name
            if entry.is_symlink() and _escapes(entry, root):
                problems.append(
                    f"{entry.relative_to(root)}: a symlink leading outside the project "
                    f"(to {os.path.realpath(entry)}); raw data must live in data/raw/"
                )
    return problems
