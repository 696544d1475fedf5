"""Numbers quoted in the prose, each computed from a small hand-built table.

Every expected value is worked out by hand in the test (the arithmetic is in a
comment or is a literal the reader can check), never by calling the code under test.
Percentages end in a non-breaking space and "%".
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml

from mining_report.formatting import day_text, month_text, number, percent, with_unit
from mining_report.numbers.common import merge, peak, share, to_yaml
from mining_report.numbers.data import data_numbers, licence_label
from mining_report.numbers.hashrate import (
    global_hashrate_numbers,
    hashrate_numbers,
    province_numbers,
)
from mining_report.numbers.machines import disputed_day_numbers, machine_numbers
from mining_report.numbers.migration import migration_numbers, shift_numbers
from mining_report.numbers.press import press_figure_numbers, statement_numbers
from mining_report.numbers.prices import (
    asking_price_numbers,
    difficulty_numbers,
    index_quote_numbers,
    recovery_numbers,
)
from mining_report.numbers.shutdowns import exposure_numbers, measure_days, shutdown_numbers

from conftest import sidecar

NBSP = "\u00a0"


def ts(day: str) -> pd.Timestamp:
    return pd.Timestamp(day)


def frame(rows: list[tuple], columns: list[str], dates: tuple[str, ...] = ()) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns)
    for column in dates:
        table[column] = pd.to_datetime(table[column])
    return table


# --------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------


def test_percent_has_a_non_breaking_space_and_two_decimals_by_default() -> None:
    assert percent(46.0412) == "46.04\u00a0%"
    assert percent(27.94, 1) == "27.9\u00a0%"
    assert percent(47.67, 0) == "48\u00a0%"
    # Thousands separators apply to percentages too.
    assert percent(1234.5, 1) == "1,234.5\u00a0%"
    assert " %" not in percent(10.0)  # never an ordinary, breakable space


def test_numbers_have_thousands_separators_and_fixed_decimals() -> None:
    assert number(205000) == "205,000"
    assert number(2_000_000) == "2,000,000"
    assert number(21.7491, 2) == "21.75"
    assert number(149.2, 2) == "149.20"
    assert number(999) == "999"


def test_a_unit_follows_a_non_breaking_space() -> None:
    # No line may end inside a number and its unit: "per" and "TH/s" stay together.
    assert with_unit(93.675001, "USD per TH/s", 2) == "93.68\u00a0USD\u00a0per\u00a0TH/s"
    assert with_unit(1500, "CNY per TH/s") == "1,500\u00a0CNY\u00a0per\u00a0TH/s"


def test_days_read_9_june_2021_and_months_june_2021() -> None:
    assert day_text("2021-06-09") == "9 June 2021"  # no leading zero
    assert day_text(ts("2021-12-24")) == "24 December 2021"
    assert month_text("2021-06-01") == "June 2021"
    assert month_text(ts("2022-01-31")) == "January 2022"


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def test_peak_is_the_maximum_not_the_last_or_first_value() -> None:
    series = pd.Series(
        [3.0, 9.0, 4.0, 7.0],
        index=pd.to_datetime(["2021-01-01", "2021-02-01", "2021-03-01", "2021-04-01"]),
    )
    assert peak(series) == (ts("2021-02-01"), 9.0)


def test_peak_tied_takes_the_first_date() -> None:
    series = pd.Series(
        [5.0, 8.0, 8.0], index=pd.to_datetime(["2021-01-01", "2021-02-01", "2021-03-01"])
    )
    assert peak(series) == (ts("2021-02-01"), 8.0)


def test_peak_tied_takes_the_earliest_date_whatever_the_row_order() -> None:
    # The docstring promises the first *date* of a tie, not the first row.
    series = pd.Series(
        [8.0, 5.0, 8.0], index=pd.to_datetime(["2021-03-01", "2021-01-01", "2021-02-01"])
    )
    assert peak(series) == (ts("2021-02-01"), 8.0)


def test_peak_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no values"):
        peak(pd.Series([], dtype=float))


def test_share_reads_one_country_in_one_month() -> None:
    table = frame(
        [
            ("2021-01-01", "China", 53.3),
            ("2021-01-01", "Russia", 6.91),
            ("2021-02-01", "China", 50.0),
        ],
        ["month", "country", "share_pct"],
        dates=("month",),
    )
    assert share(table, "Russia", ts("2021-01-01")) == 6.91
    assert share(table, "China", ts("2021-02-01")) == 50.0
    with pytest.raises(KeyError, match="Russia in 2021-02"):
        share(table, "Russia", ts("2021-02-01"))


def test_merge_joins_and_refuses_a_name_defined_twice() -> None:
    assert merge({"a": "1"}, {"b": "2"}, {}) == {"a": "1", "b": "2"}
    with pytest.raises(ValueError, match=r"defined twice: \['a', 'c'\]"):
        merge({"a": "1", "c": "3"}, {"b": "2"}, {"c": "4", "a": "5"})


def test_yaml_round_trips_as_strings_with_sorted_keys() -> None:
    text = to_yaml({"b": "1.50", "a": "Iran, Islamic Rep.", "c": 3, "d": "46.04\u00a0%"})
    assert yaml.safe_load(text) == {
        "a": "Iran, Islamic Rep.",
        "b": "1.50",
        "c": "3",  # every value a string, even a count
        "d": "46.04\u00a0%",  # the non-breaking space survives
    }
    assert text.index('"a"') < text.index('"b"') < text.index('"c"') < text.index('"d"')


def test_licence_label_writes_creative_commons_ids_as_they_do() -> None:
    assert licence_label("CC-BY-NC-4.0") == "CC BY-NC 4.0"
    assert licence_label("CC-BY-4.0") == "CC BY 4.0"
    assert licence_label("CC-BY-NC-SA-4.0") == "CC BY-NC-SA 4.0"
    # Not a CC id with a version: left as it is.
    assert licence_label("CC0-1.0") == "CC0-1.0"
    assert licence_label("MIT") == "MIT"


def test_data_variables_sum_the_validation_records() -> None:
    validations = [
        {"table": "a", "rows": 1000, "checks": 60},
        {"table": "b", "rows": 1240, "checks": 45},
        {"table": "c", "rows": 5, "checks": 3},
    ]
    sidecars = {
        "data/raw/ccaf/x.csv": sidecar(
            author="CCAF", licence_id="CC-BY-4.0", accessed=dt.date(2026, 3, 2)
        ),
        "data/raw/coinmetrics/y.csv": sidecar(
            author="Coin Metrics", licence_id="CC-BY-NC-4.0", accessed=dt.date(2026, 11, 9)
        ),
    }
    assert data_numbers(validations, sidecars) == {
        "raw_table_count": "3",
        "validation_rows": "2,245",  # 1000 + 1240 + 5
        "validation_checks": "108",  # 60 + 45 + 3
        # The edition is the day of the newest snapshot; the oldest is named too.
        "edition_day": "9 November 2026",
        "oldest_snapshot_day": "2 March 2026",
        "coinmetrics_licence": "CC BY-NC 4.0",
    }


# --------------------------------------------------------------------------------------
# CCAF: China's share, the world's total, the provinces, the migration
# --------------------------------------------------------------------------------------


def countries() -> pd.DataFrame:
    """CCAF by country; the baseline is January 2021."""
    rows = [
        ("2020-11-01", "China", 70.0), ("2020-11-01", "United States", 10.0),
        ("2020-11-01", "Kazakhstan", 5.0), ("2020-11-01", "Other", 15.0),
        # A zero before the baseline is not the crackdown's zero.
        ("2020-12-01", "China", 0.0), ("2020-12-01", "United States", 40.0),
        ("2020-12-01", "Kazakhstan", 10.0), ("2020-12-01", "Other", 50.0),
        ("2021-01-01", "China", 60.0), ("2021-01-01", "United States", 15.0),
        ("2021-01-01", "Kazakhstan", 5.0), ("2021-01-01", "Other", 20.0),
        # "Other" (45) is larger than any country, but it is not a country.
        ("2021-02-01", "China", 0.0), ("2021-02-01", "United States", 30.0),
        ("2021-02-01", "Kazakhstan", 25.0), ("2021-02-01", "Other", 45.0),
        ("2021-03-01", "China", 0.0), ("2021-03-01", "United States", 35.0),
        ("2021-03-01", "Kazakhstan", 20.0), ("2021-03-01", "Other", 45.0),
        ("2021-04-01", "China", 12.5), ("2021-04-01", "United States", 40.0),
        ("2021-04-01", "Kazakhstan", 10.0), ("2021-04-01", "Other", 37.5),
        ("2021-05-01", "China", 20.0), ("2021-05-01", "United States", 40.0),
        ("2021-05-01", "Kazakhstan", 10.0), ("2021-05-01", "Other", 30.0),
    ]  # fmt: skip
    table = frame(rows, ["month", "country", "share_pct"], dates=("month",))
    return table.assign(hashrate_ehs=1.0)


def test_hashrate_headline_numbers_worked_by_hand() -> None:
    values = hashrate_numbers(countries(), "2021-01-01")
    assert values == {
        "ccaf_first_month": "November 2020",
        "ccaf_last_month": "May 2021",
        "ccaf_month_count": "7",
        "ccaf_named_countries": "3",  # China, United States, Kazakhstan; not "Other"
        "china_share_first": "70.00\u00a0%",
        "baseline_month": "January 2021",
        "china_share_baseline": "60.00\u00a0%",
        # The first zero *after* the baseline: not December 2020.
        "china_zero_month": "February 2021",
        "china_zero_last_month": "March 2021",
        "china_zero_month_count": "2",
        "china_share_return_month": "April 2021",
        "china_share_return": "12.50\u00a0%",
        "china_share_last": "20.00\u00a0%",
        # Other (45) is not a country: the leader is the United States (30 > 25).
        "leader_at_china_zero": "United States",
        "leader_share_at_china_zero": "30.00\u00a0%",
    }


def test_hashrate_rows_in_any_order_give_the_same_answer() -> None:
    shuffled = countries().sample(frac=1, random_state=7)
    assert hashrate_numbers(shuffled, "2021-01-01") == hashrate_numbers(countries(), "2021-01-01")


def test_china_never_at_zero_is_an_error() -> None:
    table = countries()
    table.loc[table["share_pct"] == 0.0, "share_pct"] = 1.0
    with pytest.raises(ValueError, match="never reaches zero"):
        hashrate_numbers(table, "2021-01-01")


def test_china_at_zero_only_before_the_baseline_is_an_error() -> None:
    table = countries()
    after = (table["country"] == "China") & (table["month"] > ts("2021-01-01"))
    table.loc[after & (table["share_pct"] == 0.0), "share_pct"] = 1.0
    with pytest.raises(ValueError, match="never reaches zero"):
        hashrate_numbers(table, "2021-01-01")


def test_china_never_reappearing_is_an_error() -> None:
    table = countries()
    later = (table["country"] == "China") & (table["month"] >= ts("2021-04-01"))
    table.loc[later, "share_pct"] = 0.0
    with pytest.raises(ValueError, match="does not reappear"):
        hashrate_numbers(table, "2021-01-01")


def test_global_hashrate_falls_to_the_lowest_month_after_the_baseline() -> None:
    rows = [
        # A lower total before the baseline does not count.
        ("2020-12-01", "China", 30.0), ("2020-12-01", "Other", 10.0),  # 40
        ("2021-01-01", "China", 100.0), ("2021-01-01", "Other", 20.0),  # 120, baseline
        ("2021-02-01", "China", 40.0), ("2021-02-01", "Other", 20.0),  # 60
        ("2021-03-01", "China", 0.0), ("2021-03-01", "Other", 50.0),  # 50, lowest
        ("2021-04-01", "China", 10.0), ("2021-04-01", "Other", 40.0),  # 50, tied: later
        ("2021-05-01", "China", 30.0), ("2021-05-01", "Other", 50.0),  # 80
    ]  # fmt: skip
    table = frame(rows, ["month", "country", "hashrate_ehs"], dates=("month",))
    assert global_hashrate_numbers(table.iloc[::-1], "2021-01-01") == {
        "global_ehs_baseline": "120.00",
        "global_ehs_low_month": "March 2021",
        "global_ehs_low": "50.00",
        "global_ehs_fall_pct": "58.3\u00a0%",  # (1 - 50 / 120) x 100 = 58.33
    }


def provinces(gap: bool = True) -> pd.DataFrame:
    """Province shares of China's hashrate; the baseline is January 2021."""
    rows = [
        # Inner Mongolia missing: a gap month.
        ("2020-06-01", "Sichuan", 50.0), ("2020-06-01", "Xinjiang", 30.0),
        ("2020-06-01", "Other", 20.0),
        ("2020-07-01", "Sichuan", 60.0), ("2020-07-01", "Xinjiang", 10.0),
        ("2020-07-01", "Inner Mongolia", 10.0), ("2020-07-01", "Other", 20.0),
        # Sichuan ties its July peak: the peak is July's, with Xinjiang at 10, not 12.
        ("2020-08-01", "Sichuan", 60.0), ("2020-08-01", "Xinjiang", 12.0),
        ("2020-08-01", "Inner Mongolia", 8.0), ("2020-08-01", "Other", 20.0),
        ("2021-01-01", "Sichuan", 15.0), ("2021-01-01", "Xinjiang", 45.0),
        ("2021-01-01", "Inner Mongolia", 20.0), ("2021-01-01", "Other", 20.0),
        ("2021-02-01", "Sichuan", 10.0), ("2021-02-01", "Xinjiang", 55.0),
        ("2021-02-01", "Inner Mongolia", 15.0), ("2021-02-01", "Other", 20.0),
        ("2021-03-01", "Sichuan", 20.0), ("2021-03-01", "Xinjiang", 50.0),
        ("2021-03-01", "Inner Mongolia", 10.0), ("2021-03-01", "Other", 20.0),
        ("2021-04-01", "Sichuan", 0.0), ("2021-04-01", "Xinjiang", 0.0),
        ("2021-04-01", "Inner Mongolia", 0.0), ("2021-04-01", "Other", 0.0),
        ("2021-05-01", "Sichuan", 0.0), ("2021-05-01", "Xinjiang", 0.0),
        ("2021-05-01", "Inner Mongolia", 0.0), ("2021-05-01", "Other", 0.0),
    ]  # fmt: skip
    if not gap:
        rows.append(("2020-06-01", "Inner Mongolia", 0.0))
    table = frame(rows, ["month", "province", "share_of_china_pct"], dates=("month",))
    # China held 60 % of the world in every month: global = China share x 0.6.
    table["share_of_global_pct"] = table["share_of_china_pct"] * 0.6
    return table.sample(frac=1, random_state=3)


def test_province_peaks_baseline_and_gaps_worked_by_hand() -> None:
    assert province_numbers(provinces(), "2021-01-01") == {
        "province_first_month": "June 2020",
        "province_last_month": "March 2021",  # the last month with any share
        "province_zero_month": "April 2021",  # the first month with none
        "sichuan_peak_month": "July 2020",  # 60 in July and August: the first
        "sichuan_peak_share": "60.00\u00a0%",
        "xinjiang_at_sichuan_peak": "10.00\u00a0%",
        # Before the crackdown only: February 2021's 55 is after the baseline month.
        "xinjiang_peak_month": "January 2021",
        "xinjiang_peak_share": "45.00\u00a0%",
        "sichuan_at_xinjiang_peak": "15.00\u00a0%",
        "xinjiang_share_baseline": "45.00\u00a0%",
        "xinjiang_global_baseline": "27.00\u00a0%",  # 45 x 60 / 100
        "sichuan_share_baseline": "15.00\u00a0%",
        "inner_mongolia_share_baseline": "20.00\u00a0%",
        "province_gap_months": "June 2020",
    }


def test_no_province_gap_reads_none() -> None:
    assert province_numbers(provinces(gap=False), "2021-01-01")["province_gap_months"] == "none"


def migration_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """CCAF by country (EH/s = share x 2) and the migration table at three moments."""
    shares = {
        # Jan 2021 (before), Jul 2021 (exodus), Oct 2021, Jan 2022 (latest)
        "United States": (10.0, 35.0, 30.0, 22.0),
        "Kazakhstan": (6.0, 14.0, 18.0, 13.0),
        # Russia at the exodus month (11) is below its peak (12, October 2021).
        "Russia": (7.0, 11.0, 12.0, 5.0),
        "Canada": (1.0, 10.0, 10.0, 6.0),  # tied peak: July, the first
        "China": (60.0, 0.0, 20.0, 21.0),
        # Other gains most (+17) but is not a country.
        "Other": (16.0, 30.0, 10.0, 33.0),
    }
    months = pd.to_datetime(["2021-01-01", "2021-07-01", "2021-10-01", "2022-01-01"])
    by_country = pd.DataFrame(
        [
            {"month": month, "country": country, "share_pct": value, "hashrate_ehs": value * 2}
            for country, values in shares.items()
            for month, value in zip(months, values, strict=True)
        ]
    )
    moments = {"before": 0, "exodus": 1, "latest": 3}
    migration = pd.DataFrame(
        [
            {
                "country": country,
                "period": period,
                "month": months[i],
                "share_pct": values[i],
                "hashrate_ehs": values[i] * 2,
                "share_change_pts": values[i] - values[0],
            }
            for country, values in shares.items()
            for period, i in moments.items()
        ]
    )
    return migration, by_country


def test_what_moved_and_what_grew_worked_by_hand() -> None:
    migration, by_country = migration_tables()
    assert shift_numbers(migration, by_country) == {
        "cn_ehs_lost": "78.00",  # 120 - 42
        "us_ehs_gained": "24.00",  # 44 - 20
        "global_ehs_latest": "200.00",  # every month sums to 100 % = 200 EH/s
        "global_ehs_rise_pct": f"0.0{NBSP}%",
        "kz_ehs_at_peak": "36.00",  # its peak share, 18, in October 2021
        "kz_ehs_fall_from_peak_pct": f"27.8{NBSP}%",  # 1 - 26 / 36
        "global_ehs_rise_since_kz_peak_pct": f"0.0{NBSP}%",
        # Other (16, then 33) is not a country: the three are named ones, largest first.
        "top_three_before": "China, the United States and Russia",
        "top_three_share_before": f"77.00{NBSP}%",  # 60 + 10 + 7
        "largest_country_before": "China",
        "largest_country_share_before": f"60.00{NBSP}%",
        "top_three_latest": "the United States, China and Kazakhstan",
        "top_three_share_latest": f"56.00{NBSP}%",  # 22 + 21 + 13
        "largest_country_latest": "United States",
        "largest_country_share_latest": f"22.00{NBSP}%",
    }


def test_migration_moments_gainer_and_peaks_worked_by_hand() -> None:
    migration, by_country = migration_tables()
    values = migration_numbers(migration, by_country)
    assert values["migration_before_month"] == "January 2021"
    assert values["migration_exodus_month"] == "July 2021"
    assert values["migration_latest_month"] == "January 2022"
    assert values["us_share_before"] == "10.00\u00a0%"
    assert values["us_ehs_exodus"] == "70.00"  # 35 x 2
    assert values["kz_ehs_latest"] == "26.00"  # 13 x 2
    assert values["cn_share_exodus"] == "0.00\u00a0%"
    # Peaks are the maxima over the whole series, whichever month they fall in.
    assert values["ru_share_exodus"] == "11.00\u00a0%"
    assert (values["ru_peak_month"], values["ru_peak_share"]) == ("October 2021", "12.00\u00a0%")
    assert (values["kz_peak_month"], values["kz_peak_share"]) == ("October 2021", "18.00\u00a0%")
    assert (values["us_peak_month"], values["us_peak_share"]) == ("July 2021", "35.00\u00a0%")
    assert (values["ca_peak_month"], values["ca_peak_share"]) == ("July 2021", "10.00\u00a0%")
    assert (values["cn_peak_month"], values["cn_peak_share"]) == ("January 2021", "60.00\u00a0%")
    # Gains to January 2022: US +12, KZ +7, CA +5, RU -2, CN -39; Other +17 is no country.
    assert values["largest_gainer"] == "United States"
    assert values["largest_gainer_points"] == "12.00"
    assert values["largest_gainer_share_before"] == "10.00\u00a0%"
    assert values["largest_gainer_share_latest"] == "22.00\u00a0%"


def test_migration_peaks_do_not_depend_on_row_order() -> None:
    migration, by_country = migration_tables()
    shuffled = by_country.sample(frac=1, random_state=11)
    assert migration_numbers(migration, shuffled) == migration_numbers(migration, by_country)


# --------------------------------------------------------------------------------------
# The measures and the hashrate they reached
# --------------------------------------------------------------------------------------


def shutdowns() -> pd.DataFrame:
    columns = [
        "event_id", "date_announced", "jurisdiction", "scope", "stage",
        "exposure_share_of_china_pct", "exposure_share_of_global_pct",
    ]  # fmt: skip
    nan = float("nan")
    rows = [
        ("E01", "2021-02-25", "Inner Mongolia", "province", "draft", 20.0, 12.0),
        ("E02", "2021-03-09", "Inner Mongolia", "province", "final", 20.0, 12.0),
        ("E03", "2021-05-21", "national", "national", "final", 100.0, 60.0),
        ("E04", "2021-06-09", "Xinjiang", "park or company", "final", 45.0, 27.0),
        ("E05", "2021-06-18", "Sichuan", "province", "final", 15.0, 9.0),
        ("E06", "2021-07-14", "Anhui", "province", "final", nan, nan),
        ("E07", None, "Sichuan", "prefecture or city", "final", 15.0, 9.0),
        ("E08", None, "Gansu", "province", "final", nan, nan),
        ("E09", "2022-01-10", "national", "national", "final", 100.0, 60.0),
    ]
    return frame(rows, columns, dates=("date_announced",))


def test_measure_days_name_each_dated_event_and_each_stated_deadline() -> None:
    table = shutdowns().assign(date_effective=pd.NaT)
    table.loc[table["event_id"] == "E02", "date_effective"] = pd.Timestamp("2021-04-30")
    table.loc[table["event_id"] == "E07", "date_effective"] = pd.Timestamp("2021-06-25")
    assert measure_days(table) == {
        "day_e01": "25 February 2021",
        "day_e02": "9 March 2021",
        "deadline_e02": "30 April 2021",
        "day_e03": "21 May 2021",
        "day_e04": "9 June 2021",
        "day_e05": "18 June 2021",
        "day_e06": "14 July 2021",
        "deadline_e07": "25 June 2021",  # a deadline without an announcement day
        "day_e09": "10 January 2022",
    }


def test_measure_days_without_deadlines() -> None:
    assert measure_days(shutdowns()) == {
        "day_e01": "25 February 2021",
        "day_e02": "9 March 2021",
        "day_e03": "21 May 2021",
        "day_e04": "9 June 2021",
        "day_e05": "18 June 2021",
        "day_e06": "14 July 2021",
        # E07 and E08 have no day: no variable.
        "day_e09": "10 January 2022",
    }


def test_shutdown_counts_worked_by_hand() -> None:
    assert shutdown_numbers(shutdowns()) == {
        "measure_count": "9",
        "measure_dated_count": "7",
        "measure_undated_count": "2",  # E07, E08
        "measure_national_count": "2",  # E03, E09
        # Inner Mongolia, Xinjiang, Sichuan, Anhui, Gansu, each once.
        "measure_province_count": "5",
        "measure_first_day": "25 February 2021",
        "measure_last_day": "10 January 2022",
        "measure_narrow_count": "2",  # E04 (a park or company), E07 (a city)
        "measure_draft_count": "1",  # E01
        # Dated measures in a province CCAF folds into Other: E06 (E08 has no day).
        "measure_unknown_exposure_count": "1",
        "xinjiang_order_exposure_china": "45.00\u00a0%",
        "xinjiang_order_exposure_global": "27.00\u00a0%",
    }


def exposure(
    certain: list[float], at_most: list[float], wet: tuple[list[float], list[float]] | None = None
) -> pd.DataFrame:
    days = pd.date_range("2021-06-01", periods=len(certain), freq="D")
    wet_certain, wet_at_most = wet or (certain, at_most)
    table = pd.concat(
        [
            pd.DataFrame(
                {
                    "weights": weights,
                    "weights_month": pd.Timestamp(month),
                    "date": days,
                    "certain_share_of_china_pct": low,
                    "at_most_share_of_china_pct": high,
                }
            )
            for weights, month, low, high in [
                ("baseline", "2021-01-01", certain, at_most),
                ("wet season", "2020-09-01", wet_certain, wet_at_most),
            ]
        ]
    )
    return table.sample(frac=1, random_state=5)  # rows in any order


def test_exposure_plateau_is_the_first_day_at_the_highest_share_before_the_national_order() -> None:
    table = exposure(
        # 1 June ... 8 June
        certain=[0.0, 10.0, 30.0, 30.0, 30.0, 30.0, 100.0, 100.0],
        at_most=[0.0, 20.0, 40.0, 45.0, 45.0, 60.0, 100.0, 100.0],
        # The same orders weighted by a wet-season month; its own highest certain
        # share comes later (5 June) but is read on the baseline's plateau day.
        wet=(
            [0.0, 5.0, 50.0, 50.0, 55.0, 55.0, 100.0, 100.0],
            [0.0, 15.0, 65.0, 70.0, 70.0, 80.0, 100.0, 100.0],
        ),
    )
    assert exposure_numbers(table) == {
        "stop_order_plateau_day": "3 June 2021",  # first day at 30, the highest before 100
        "stop_order_certain_share": "30.00\u00a0%",
        "stop_order_at_most_share": "40.00\u00a0%",  # read on the plateau day
        "stop_order_at_most_before_national": "60.00\u00a0%",  # 6 June, the day before 100
        "stop_order_full_day": "7 June 2021",
        "wet_season_month": "September 2020",
        "wet_stop_order_certain_share": "50.00\u00a0%",  # 3 June, wet weights
        "wet_stop_order_at_most_share": "65.00\u00a0%",
        "wet_stop_order_at_most_before_national": "80.00\u00a0%",
    }


def test_exposure_needs_both_weights() -> None:
    table = exposure(certain=[0.0, 100.0], at_most=[0.0, 100.0])
    with pytest.raises(ValueError, match="not baseline and wet season"):
        exposure_numbers(table[table["weights"] == "baseline"])


def test_no_national_order_is_an_error() -> None:
    table = exposure(certain=[0.0, 10.0, 30.0], at_most=[0.0, 20.0, 40.0])
    with pytest.raises(ValueError, match="no national stop order"):
        exposure_numbers(table)


# --------------------------------------------------------------------------------------
# Prices, difficulty, machine prices
# --------------------------------------------------------------------------------------


def price_recovery() -> pd.DataFrame:
    columns = [
        "series", "base_week_start", "base_value", "pre_ban_peak", "pre_ban_peak_week_start",
        "trough_value", "trough_week_start", "weeks_to_baseline", "recovered_by",
    ]  # fmt: skip
    rows = [
        # Fell to 60 % (30,000 / 50,000) on 21 June; back on 9 August = 13 weeks after
        # 10 May (91 days), though only 7 weeks after the trough.
        ("btc_close_usd", "2021-05-10", 50_000.0, 60_000.0, "2021-04-12",
         30_000.0, "2021-06-21", 13, "2021-08-09"),
        # Never fell below the base week: no trough, back at once.
        ("difficulty", "2021-05-10", 20e12, 22e12, "2021-04-19",
         None, None, 0, "2021-05-10"),
        # Fell and is not back: no number of weeks.
        ("hashprice_usd_per_th_day", "2021-05-10", 0.30, 0.39, "2021-04-12",
         0.204, "2021-05-24", None, "not by 2021-12-31"),
        # Fell to 55 % (88 / 160); back on 4 October = 21 weeks (147 days).
        ("hashrate_ehs_7d", "2021-05-10", 160.0, 164.8, "2021-05-03",
         88.0, "2021-06-28", 21, "2021-10-04"),
    ]  # fmt: skip
    table = frame(
        rows,
        columns,
        dates=("base_week_start", "pre_ban_peak_week_start", "trough_week_start"),
    )
    return table.astype({"weeks_to_baseline": "Int64"})


def price_trends() -> pd.DataFrame:
    return frame(
        [("2021-05-03", 104.2), ("2021-05-10", 100.0), ("2021-05-17", 80.5)],
        ["week_start", "btc_close_index"],
        dates=("week_start",),
    )


def test_recovery_troughs_and_weeks_from_the_base_week() -> None:
    values = recovery_numbers(price_recovery(), price_trends())
    assert values["base_week"] == "10 May 2021"
    assert values["index_base"] == "100"
    assert values["btc_trough_index"] == "60\u00a0%"
    assert values["btc_trough_week"] == "21 June 2021"
    assert values["btc_recovered_by"] == "9 August 2021"
    assert values["btc_weeks_to_baseline"] == "13"  # from the base week, not the trough
    assert values["btc_pre_ban_peak_index"] == "120\u00a0%"  # 60,000 / 50,000
    assert values["btc_pre_ban_peak_week"] == "12 April 2021"
    assert values["hashrate_trough_index"] == "55\u00a0%"
    assert values["hashrate_weeks_to_baseline"] == "21"
    assert values["hashrate_pre_ban_peak_index"] == "103\u00a0%"  # 164.8 / 160 = 1.03
    assert values["hashprice_trough_index"] == "68\u00a0%"  # 0.204 / 0.30
    assert values["hashprice_recovered_by"] == "not by 31 December 2021"
    assert values["hashprice_weeks_to_baseline"] == "none"
    assert values["difficulty_weeks_to_baseline"] == "0"
    assert values["difficulty_recovered_by"] == "10 May 2021"
    assert "difficulty_trough_index" not in values  # it never fell: no trough
    assert "difficulty_trough_week" not in values
    # First back among those that fell: bitcoin (13 weeks) before the hashrate (21);
    # difficulty never fell and hashprice is not back.
    assert values["first_recovered"] == "the price of bitcoin"
    assert values["first_recovered_weeks"] == "13"


def test_difficulty_drop_is_the_most_negative_change_on_its_mixed_day() -> None:
    table = frame(
        [
            ("2021-05-14", "2021-05-13", -15.97),
            ("2021-06-14", None, 5.0),
            ("2021-07-04", "2021-07-03", -27.94),  # the largest fall
            ("2021-07-18", "2021-07-17", -4.81),
        ],
        ["date", "mixed_day", "change_pct"],
        dates=("date", "mixed_day"),
    )
    assert difficulty_numbers(table) == {
        "difficulty_drop_day": "3 July 2021",  # the mixed day, when the block was mined
        "difficulty_drop_pct": "27.9\u00a0%",
        "difficulty_adjustment_count": "4",
    }


def test_difficulty_drop_without_a_mixed_day_is_dated_by_its_first_day() -> None:
    table = frame(
        [("2021-05-14", "2021-05-13", -15.97), ("2021-07-04", None, -27.94)],
        ["date", "mixed_day", "change_pct"],
        dates=("date", "mixed_day"),
    )
    assert difficulty_numbers(table)["difficulty_drop_day"] == "4 July 2021"


def test_of_equal_difficulty_drops_the_earliest_is_quoted() -> None:
    # Two falls of -27.94 %: the text dates the earlier one, whatever the row order.
    table = frame(
        [
            ("2021-09-04", "2021-09-03", -27.94),
            ("2021-05-14", "2021-05-13", -3.0),
            ("2021-07-04", "2021-07-03", -27.94),
        ],
        ["date", "mixed_day", "change_pct"],
        dates=("date", "mixed_day"),
    )
    assert difficulty_numbers(table)["difficulty_drop_day"] == "3 July 2021"


def test_asking_prices_first_and_last_efficient_months_and_the_gap() -> None:
    nan = float("nan")
    rows = [
        ("2021-06-01", "under 38 J/TH", 35.93, 4),
        ("2021-02-01", "under 38 J/TH", nan, 0),  # no efficient listing yet
        ("2021-02-01", "38-68 J/TH", 50.0, 3),
        ("2021-03-01", "under 38 J/TH", 88.46, 2),
        ("2021-03-01", "38-68 J/TH", 40.0, 1),
        ("2021-04-01", "under 38 J/TH", nan, 0),  # no listings at all: the gap
        ("2021-04-01", "38-68 J/TH", nan, 0),
        ("2021-05-01", "under 38 J/TH", nan, 0),
        ("2021-05-01", "38-68 J/TH", nan, 0),
        ("2021-06-01", "38-68 J/TH", 20.0, 2),
        ("2021-06-01", "unclassified", 99.0, 1),  # a model no specification matches
        ("2021-07-01", "under 38 J/TH", 30.0, 1),
    ]
    table = frame(
        rows, ["month", "efficiency_class", "median_usd_per_th", "listings"], dates=("month",)
    )
    assert asking_price_numbers(table) == {
        "asic_gap_first": "April 2021",
        "asic_gap_last": "May 2021",
        "asic_first_month": "March 2021",
        "asic_first_efficient_median": "88.46\u00a0USD\u00a0per\u00a0TH/s",
        # The first efficient price after the gap (April and May): June, not July.
        "asic_resumed_month": "June 2021",
        "asic_resumed_efficient_median": "35.93\u00a0USD\u00a0per\u00a0TH/s",
        "asic_last_month": "July 2021",
        "asic_last_efficient_median": "30.00\u00a0USD\u00a0per\u00a0TH/s",
        "asic_listing_count": "14",  # 4 + 3 + 2 + 1 + 2 + 1 + 1
        "asic_listings_before_gap": "3",  # March, every class: 2 + 1
        "asic_listings_after_gap": "7",  # June: 4 + 2 + 1
        "asic_unclassified_after_gap": "1",
    }


# --------------------------------------------------------------------------------------
# Machines (press figures)
# --------------------------------------------------------------------------------------


def machine_tables(
    counts: tuple[int, int, int] = (205_000, 87_849, 87_200), tracked: int = 430_000
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    exports = pd.DataFrame(
        {
            "figure_id": ["M01", "M03", "M04"],
            "machines": pd.array([2_000_000, tracked, counts[0]], dtype="Int64"),
        }
    )
    countries = ["Russia", "Kazakhstan", "United States"]
    destinations = pd.DataFrame(
        {
            # Rows out of rank order; uncounted rows after the counted ones.
            "destination_country": ["Venezuela", *countries[::-1], "Canada", "Paraguay"],
            "machines": pd.array([None, *counts[::-1], None, None], dtype="Int64"),
            "rank": [5, 3, 2, 1, 4, 5],
            # What the table stores: machines / tracked x 100, to 2 decimals.
            "share_of_tracked_pct": [
                None,
                *(round(c / tracked * 100, 2) for c in counts[::-1]),
                None,
                None,
            ],
        }
    )
    conflicts = pd.DataFrame({"conflict_id": ["K01", "K02", "K03"]})
    return exports, destinations, conflicts


def test_machine_totals_destinations_and_ledger_worked_by_hand() -> None:
    assert machine_numbers(*machine_tables()) == {
        "ft_machines_moved": "2,000,000",
        "tracked_machines": "430,000",
        "conflict_count": "3",
        "top_destination": "Russia",
        "top_destination_machines": "205,000",
        "top_destination_share": "48\u00a0%",  # 205,000 / 430,000 = 47.67 %: about 48
        "second_destination": "Kazakhstan",
        "second_destination_machines": "87,849",
        "second_destination_share": "20\u00a0%",  # 87,849 / 430,000 = 20.43 %
        "third_destination": "United States",
        "third_destination_machines": "87,200",
        "third_destination_share": "20\u00a0%",  # 87,200 / 430,000 = 20.28 %
        "ranked_uncounted": "Canada",
        "ranked_uncounted_rank": "fourth",
        "unordered_destinations": "Paraguay and Venezuela",
    }


def test_a_bounded_share_is_rounded_once_to_a_whole_percent() -> None:
    # 13,496 of 100,000 is 13.496 %: about 13 %. The table stores 13.50 (two decimals);
    # rounding that again must not make it 14 %.
    values = machine_numbers(*machine_tables(counts=(13_496, 9_000, 8_000), tracked=100_000))
    assert values["top_destination_share"] == "13\u00a0%"
    # 9,000 / 100,000 = 9 %; 8,000 / 100,000 = 8 %.
    assert values["second_destination_share"] == "9\u00a0%"
    assert values["third_destination_share"] == "8\u00a0%"


def machine_flows(bitmain_countries: str = "United States; Canada; Russia") -> pd.DataFrame:
    periods = {
        "M01": "after the ban", "M28": "in August", "M30": "May to July", "M31": "since April",
        "M32": "in June", "M33": "in April", "M38": "at the close",
    }  # fmt: skip
    rows = [
        ("M01", "2021-11-21", "2000000", "machines ('more than 2m')"),
        ("M05", "2021-11-21", "200000", "machines"),
        ("M07", "2021-11-21", "5000", "machines ('an additional 5,000')"),
        ("M10", "2021-11-21", "80000", "machines"),
        ("M11", "2021-11-21", "7849", "machines"),
        ("M16", "2021-11-21", "700000", "machines"),
        ("M17", "2021-11-21", "8", "of the 10 largest"),
        ("M28", "2021-10-01", "30000", "machines"),
        ("M30", "2021-11-21", "41.7", "percent"),
        ("M31", "2021-11-21", "75", "percent"),
        ("M32", "2021-06-30", "150", "CNY per TH/s"),
        ("M33", None, "600", "CNY per TH/s"),
        ("M36", "2021-10-01", "119.25", "USD per TH/s"),
        ("M37", "2021-10-01", "62.04", "USD per TH/s"),
        ("M38", "2021-10-01", "93.675001", "USD per TH/s"),
        ("M41", "2021-06-23", "suspended", "action"),
        ("M42", "2021-06-23", bitmain_countries, "countries named"),
        ("M54", "2021-12-02", "2500", "machines"),
        ("M62", "2021-06-20", "2000000", "machines"),
        ("M71", "2021-06-23", "Belarus; Angola", "countries named"),
    ]
    table = frame(rows, ["figure_id", "date_reported", "value", "unit"], dates=("date_reported",))
    return table.assign(period=table["figure_id"].map(periods))


def test_press_figures_as_quoted() -> None:
    assert press_figure_numbers(machine_flows()) == {
        "machines_idle_in_storage": "700,000",
        "machines_stuck_in_sichuan": "2,000,000",
        "mega_farms_expanded": "8\u00a0of\u00a0the\u00a010\u00a0largest",  # the row's own unit
        "marathon_bitmain_machines": "30,000",
        "bitriver_machines": "200,000",
        "bitcluster_machines": "5,000",
        "bitfufu_kazakhstan_machines": "80,000",
        "bit_mining_kazakhstan_machines": "7,849",
        "s19_price_fall": "41.7\u00a0%",
        "top_tier_price_fall": "75\u00a0%",
        "secondhand_cny_april": "600\u00a0CNY\u00a0per\u00a0TH/s",
        "secondhand_cny_june": "150\u00a0CNY\u00a0per\u00a0TH/s",
        "luxor_summer_high": "119.25\u00a0USD\u00a0per\u00a0TH/s",
        "luxor_summer_low": "62.04\u00a0USD\u00a0per\u00a0TH/s",
        "luxor_q3_close": "93.68\u00a0USD\u00a0per\u00a0TH/s",
        "kazakh_facility_rigs": "2,500",
        "bitmain_countries": "the United States, Canada and Russia",
        "bitmain_markets": "Belarus and Angola",
        # Periods are quoted as the rows word them.
        "ft_machines_period": "after the ban",
        "marathon_purchase_period": "in August",
        "s19_price_fall_period": "May to July",
        "top_tier_price_fall_period": "since April",
        "secondhand_june_period": "in June",
        "secondhand_april_period": "in April",
        "luxor_q3_close_period": "at the close",
        "bitmain_suspension_day": "23 June 2021",
        "ft_survey_day": "21 November 2021",
        "kazakh_shutdown_report_day": "2 December 2021",
    }


@pytest.mark.parametrize(
    ("listed", "quoted"),
    [
        ("Canada", "Canada"),
        ("Russia; United States", "Russia and the United States"),
        ("Canada ;Kazakhstan; Russia", "Canada, Kazakhstan and Russia"),
    ],
)
def test_press_lists_read_as_prose(listed: str, quoted: str) -> None:
    assert press_figure_numbers(machine_flows(listed))["bitmain_countries"] == quoted


def test_a_quoted_period_the_row_does_not_state_is_an_error() -> None:
    flows = machine_flows()
    flows.loc[flows["figure_id"] == "M30", "period"] = None
    with pytest.raises(ValueError, match="M30 states no period"):
        press_figure_numbers(flows)


@pytest.mark.parametrize(
    ("straight", "set_"),
    [
        ("China's share", "China\u2019s share"),
        ("miners' revenue", "miners\u2019 revenue"),
        ("says '205,000 out of 430,000', but", "says \u2018205,000 out of 430,000\u2019, but"),
        ('an "over" total', "an \u201cover\u201d total"),
        ("('87k')", "(\u201887k\u2019)"),
    ],
)
def test_quotes_are_set_as_a_typesetter_would(straight: str, set_: str) -> None:
    from mining_report.formatting import typographic

    assert typographic(straight) == set_


def test_a_disputed_day_names_the_other_day_and_who_gives_it() -> None:
    ledger = pd.DataFrame(
        {
            "conflict_id": ["K13", "K05"],
            "claim_a_ref": ["events:E09", "machine_flows:M68"],
            "claim_b_value": ["2021-06-08", "35"],
            "claim_b_unit": ["date (notice issued)", "percent"],
            "claim_b_source": ["Forkast.News, https://forkast.news/a", "CCAF, https://x.org"],
        }
    )
    # Only the ledger row that disputes an event's day gives variables.
    assert disputed_day_numbers(ledger) == {
        "day_e09_disputed": "8 June 2021",
        "day_e09_disputed_by": "Forkast.News",
    }


def test_the_highest_index_quote_and_its_day() -> None:
    quotes = frame(
        [
            ("2021-05-07", "under 38 J/TH", 119.25),
            ("2022-12-25", "under 38 J/TH", 15.71),
            ("2021-05-07", "38-68 J/TH", 150.0),  # another class: not the newest machines
        ],
        ["date", "efficiency_class", "usd_per_th"],
        dates=("date",),
    )
    assert index_quote_numbers(quotes) == {
        "index_high_day": "7 May 2021",
        "index_high": f"119.25{NBSP}USD{NBSP}per{NBSP}TH/s",
    }


def test_statements_give_the_month_of_a_page_dated_by_day() -> None:
    statements = pd.DataFrame(
        {
            "statement_id": ["S01", "S03"],
            "topic": ["method", "method"],
            "source_date": [pd.NaT, pd.Timestamp("2022-05-19")],
        }
    )
    assert statement_numbers(statements) == {"statement_s03_month": "May 2022"}
