"""Shutdowns and their exposure, on hand-built frames, and properties of the exposure."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mining_report.derive.shutdowns import shutdown_exposure, shutdowns

T = pd.Timestamp


def event(
    event_id, announced, jurisdiction, measure="ban", effective=None, scope=None, stage="final"
) -> dict:
    return {
        "event_id": event_id,
        "date_announced": T(announced) if announced else pd.NaT,
        "date_effective": T(effective) if effective else pd.NaT,
        "jurisdiction": jurisdiction,
        "authority": "an authority",
        "measure": measure,
        "scope": scope or ("national" if jurisdiction == "national" else "province"),
        "stage": stage,
        "summary": "<script>alert(1)</script> kept as text",
        "confidence": "confirmed",
        "source_publisher": "Publisher",
        "source_url": "https://example.org/a",
    }


def provinces() -> pd.DataFrame:
    rows = [
        # September 2020, the wet season: Sichuan peaks at 60, Xinjiang 20, Inner Mongolia 10,
        # Other 10. October 2020 lacks Inner Mongolia, and its Sichuan 70 cannot weigh.
        ("2020-09-01", "Xinjiang", 20.0), ("2020-09-01", "Sichuan", 60.0),
        ("2020-09-01", "Inner Mongolia", 10.0), ("2020-09-01", "Other", 10.0),
        ("2020-10-01", "Xinjiang", 20.0), ("2020-10-01", "Sichuan", 70.0),
        ("2020-10-01", "Other", 10.0),
        # April 2021: Xinjiang 50, Sichuan 20, Inner Mongolia 10, Other 20 (of China).
        ("2021-04-01", "Xinjiang", 50.0), ("2021-04-01", "Sichuan", 20.0),
        ("2021-04-01", "Inner Mongolia", 10.0), ("2021-04-01", "Other", 20.0),
        # May 2021: Xinjiang 40, Sichuan 30, Inner Mongolia 10, Other 20.
        ("2021-05-01", "Xinjiang", 40.0), ("2021-05-01", "Sichuan", 30.0),
        ("2021-05-01", "Inner Mongolia", 10.0), ("2021-05-01", "Other", 20.0),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["month", "province", "share_of_china_pct"])
    frame["month"] = pd.to_datetime(frame["month"])
    # China held 60 % of the world in the autumn of 2020, 50 % in April and 40 % in May.
    china = frame["month"].map(
        {T("2020-09-01"): 60.0, T("2020-10-01"): 60.0, T("2021-04-01"): 50.0, T("2021-05-01"): 40.0}
    )
    frame["share_of_global_pct"] = frame["share_of_china_pct"] * china / 100
    return frame


def countries() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": [T("2021-04-01"), T("2021-05-01"), T("2021-06-01")],
            "country": ["China"] * 3,
            "share_pct": [50.0, 40.0, 0.0],
            "hashrate_ehs": [1.0, 1.0, 0.0],
        }
    )


def test_exposure_is_read_from_the_baseline_month_whatever_the_announcement() -> None:
    events = pd.DataFrame(
        [
            # Baseline April 2021: Xinjiang 50 % of China, China 50 % of the world → 25 %.
            event("E01", "2021-06-09", "Xinjiang"),
            event("E02", "2021-05-31", "Sichuan"),  # 20 % of China, 10 % of the world
            event("E03", "2021-06-21", "national", "trading_ban"),  # all of China: 100 %, 50 %
            event("E05", "2021-06-01", "Anhui"),  # counted among CCAF's "Other": unknown
            event("E06", None, "Xinjiang"),  # no day: the share is still Xinjiang's
            # One industrial park in Xinjiang: Xinjiang's 50 % is only an upper bound.
            event("E07", "2021-06-09", "Xinjiang", "shutdown_order", scope="park or company"),
        ]
    )
    table = shutdowns(events, provinces(), countries(), baseline_month="2021-04-01")
    table = table.set_index("event_id")
    assert (table["exposure_month"] == T("2021-04-01")).all()
    assert table.loc["E01", "exposure_share_of_china_pct"] == 50.0
    assert table.loc["E01", "exposure_share_of_global_pct"] == pytest.approx(25.0)
    assert table.loc["E02", "exposure_share_of_global_pct"] == pytest.approx(10.0)
    assert table.loc["E03", "exposure_share_of_china_pct"] == 100.0
    assert table.loc["E03", "exposure_share_of_global_pct"] == 50.0
    assert pd.isna(table.loc["E05", "exposure_share_of_china_pct"])
    assert "Anhui" in table.loc["E05", "exposure_note"]
    assert table.loc["E06", "exposure_share_of_china_pct"] == 50.0
    assert not table.loc["E01", "exposure_is_upper_bound"]
    assert table.loc["E07", "exposure_is_upper_bound"]
    assert table.loc["E07", "exposure_note"].startswith("at most")
    # Text from the sources is carried verbatim; escaping is the renderer's job.
    assert table.loc["E01", "summary"].startswith("<script>")


def test_a_baseline_that_does_not_precede_the_first_measure_is_refused() -> None:
    events = pd.DataFrame([event("E01", "2021-04-20", "Xinjiang")])
    with pytest.raises(ValueError, match="does not end before the first measure"):
        shutdowns(events, provinces(), countries(), baseline_month="2021-04-01")
    with pytest.raises(ValueError, match="does not end before the first measure"):
        shutdown_exposure(events, provinces(), year=2021, baseline_month="2021-04-01")


def test_exposure_is_a_range_dated_by_announcement() -> None:
    events = pd.DataFrame(
        [
            # Announced 1 May (its deadline later does not matter): Inner Mongolia +10 both.
            event("E01", "2021-05-01", "Inner Mongolia", effective="2021-06-30"),
            event("E02", "2021-05-20", "Inner Mongolia"),  # already counted
            # A park in Xinjiang: 0 certain, +50 at most.
            event("E03", "2021-06-09", "Xinjiang", "shutdown_order", scope="park or company"),
            event("E04", "2021-06-10", "Yunnan", "investigation"),  # not a stop order
            event("E05", "2021-06-12", "Sichuan", stage="draft"),  # a draft is not an order
            # Anhui is inside "Other" (20): certain +0, at most +20.
            event("E06", "2021-06-18", "Anhui", "shutdown_order"),
            # A whole-province order for Xinjiang moves it from partial to certain: +50.
            event("E07", "2021-07-01", "Xinjiang"),
            event("E08", "2021-09-24", "national"),  # 100 from 24 Sep
        ]
    )
    table = shutdown_exposure(events, provinces(), year=2021, baseline_month="2021-04-01")
    assert len(table) == 2 * 365
    by_day = table[table["weights"] == "baseline"].set_index("date")
    low, high = by_day["certain_share_of_china_pct"], by_day["at_most_share_of_china_pct"]
    assert (low[T("2021-04-30")], high[T("2021-04-30")]) == (0, 0)
    assert (low[T("2021-05-01")], high[T("2021-05-01")]) == (10, 10)
    assert (low[T("2021-06-09")], high[T("2021-06-09")]) == (10, 60)
    assert (low[T("2021-06-12")], high[T("2021-06-12")]) == (10, 60)
    assert (low[T("2021-06-18")], high[T("2021-06-18")]) == (10, 80)
    assert (low[T("2021-07-01")], high[T("2021-07-01")]) == (60, 80)
    assert (low[T("2021-09-24")], high[T("2021-09-24")]) == (100, 100)
    assert by_day.loc[T("2021-06-09"), "provinces_partial"] == "Xinjiang"
    assert pd.isna(by_day.loc[T("2021-07-01"), "provinces_partial"])
    assert by_day.loc[T("2021-05-01"), "orders_from_today"] == "E01"


def test_a_power_cutoff_stops_mining_like_an_order() -> None:
    events = pd.DataFrame(
        [
            event("E01", "2021-05-01", "Inner Mongolia"),
            event("E02", "2021-06-10", "Sichuan", "power_cutoff"),  # whole province: +20
            event("E03", "2021-06-20", "Xinjiang", "power_cutoff", scope="prefecture or city"),
            event("E04", None, "national", "power_cutoff"),  # no day: not counted
        ]
    )
    table = shutdown_exposure(events, provinces(), year=2021, baseline_month="2021-04-01")
    by_day = table[table["weights"] == "baseline"].set_index("date")
    assert by_day.loc[T("2021-06-10"), "certain_share_of_china_pct"] == 30
    assert by_day.loc[T("2021-06-20"), "at_most_share_of_china_pct"] == 80
    assert by_day.loc[T("2021-12-31"), "certain_share_of_china_pct"] == 30  # never national


def test_the_same_orders_are_weighted_by_a_wet_season_month_too() -> None:
    events = pd.DataFrame(
        [
            event("E01", "2021-05-01", "Sichuan"),
            event("E02", "2021-06-09", "Xinjiang", "shutdown_order", scope="park or company"),
        ]
    )
    table = shutdown_exposure(events, provinces(), year=2021, baseline_month="2021-04-01")
    wet = table[table["weights"] == "wet season"].set_index("date")
    dry = table[table["weights"] == "baseline"].set_index("date")
    # The wet month is September 2020, Sichuan's peak among months listing every
    # province (October 2020, higher, lacks Inner Mongolia).
    assert set(wet["weights_month"]) == {T("2020-09-01")}
    assert set(dry["weights_month"]) == {T("2021-04-01")}
    day = T("2021-06-09")
    assert (
        dry.loc[day, "certain_share_of_china_pct"],
        dry.loc[day, "at_most_share_of_china_pct"],
    ) == (20, 70)
    assert (
        wet.loc[day, "certain_share_of_china_pct"],
        wet.loc[day, "at_most_share_of_china_pct"],
    ) == (60, 80)


def test_no_wet_season_month_in_the_year_before_the_baseline_is_an_error() -> None:
    events = pd.DataFrame([event("E01", "2021-06-01", "Sichuan")])
    late = provinces()
    late = late[late["month"] >= T("2021-04-01")]
    with pytest.raises(ValueError, match="no CCAF shares for Sichuan in the year before 2021-04"):
        shutdown_exposure(events, late, year=2021, baseline_month="2021-04-01")


def test_missing_baseline_month_is_an_error() -> None:
    with pytest.raises(ValueError, match="baseline month 2020-01"):
        shutdown_exposure(pd.DataFrame([event("E01", "2021-03-01", "Xinjiang")]), provinces(),
                          year=2021, baseline_month="2020-01-01")  # fmt: skip


JURISDICTION = st.sampled_from(["Xinjiang", "Sichuan", "Inner Mongolia", "Anhui", "national"])
MEASURE = st.sampled_from(["ban", "shutdown_order", "power_cutoff", "investigation"])
SCOPE = st.sampled_from(["province", "prefecture or city", "park or company"])
DAY = st.dates(min_value=dt.date(2021, 5, 1), max_value=dt.date(2021, 12, 31))


@given(st.lists(st.tuples(DAY, JURISDICTION, MEASURE, SCOPE), min_size=1, max_size=12))
def test_exposure_bounds_never_decrease_and_stay_ordered(orders) -> None:
    rows = [
        event(f"E{i:02d}", str(d), where, what, scope=None if where == "national" else scope)
        for i, (d, where, what, scope) in enumerate(orders)
    ]
    table = shutdown_exposure(pd.DataFrame(rows), provinces(), 2021, baseline_month="2021-04-01")
    table = table[table["weights"] == "baseline"]
    low, high = table["certain_share_of_china_pct"], table["at_most_share_of_china_pct"]
    assert low.is_monotonic_increasing and high.is_monotonic_increasing
    assert low.between(0, 100).all() and high.between(0, 100).all()
    assert (low <= high).all()
    stops = [o for o in orders if o[2] in ("ban", "shutdown_order", "power_cutoff")]
    if any(where == "national" for _, where, _, _ in stops):
        assert low.iloc[-1] == 100
    # Only whole-province (or national) orders raise the certain share.
    if not any(where == "national" or scope == "province" for _, where, _, scope in stops):
        assert low.iloc[-1] == 0
