"""Shutdowns and their exposure, on hand-built frames, and properties of the exposure."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mining_report.shutdowns import shutdown_exposure, shutdowns

T = pd.Timestamp


def event(event_id, announced, jurisdiction, measure="ban", effective=None) -> dict:
    return {
        "event_id": event_id,
        "date_announced": T(announced) if announced else pd.NaT,
        "date_effective": T(effective) if effective else pd.NaT,
        "jurisdiction": jurisdiction,
        "authority": "an authority",
        "measure": measure,
        "summary": "<script>alert(1)</script> kept as text",
        "confidence": "confirmed",
        "source_publisher": "Publisher",
        "source_url": "https://example.org/a",
    }


def provinces() -> pd.DataFrame:
    rows = [
        # April 2021: Xinjiang 50, Sichuan 20, Inner Mongolia 10, Other 20 (of China).
        ("2021-04-01", "Xinjiang", 50.0), ("2021-04-01", "Sichuan", 20.0),
        ("2021-04-01", "Inner Mongolia", 10.0), ("2021-04-01", "Other", 20.0),
        # May 2021: Xinjiang 40, Sichuan 30, Inner Mongolia 10, Other 20.
        ("2021-05-01", "Xinjiang", 40.0), ("2021-05-01", "Sichuan", 30.0),
        ("2021-05-01", "Inner Mongolia", 10.0), ("2021-05-01", "Other", 20.0),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["month", "province", "share_of_china_pct"])
    frame["month"] = pd.to_datetime(frame["month"])
    # China held 50 % of the world in April and 40 % in May.
    china = frame["month"].map({T("2021-04-01"): 50.0, T("2021-05-01"): 40.0})
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


def test_exposure_is_read_from_the_last_month_before_the_announcement() -> None:
    events = pd.DataFrame(
        [
            event("E01", "2021-06-09", "Xinjiang"),  # June → May: 40 % of China, 16 % of world
            event("E02", "2021-05-31", "Sichuan"),  # May → April: 20 % of China, 10 % of world
            event("E03", "2021-06-21", "national", "trading_ban"),  # → May: 100 %, 40 %
            event("E04", "2021-07-02", "national"),  # → June: China at 0 % of world
            event("E05", "2021-06-01", "Anhui"),  # folded into Other
            event("E06", None, "Xinjiang"),  # no day
            event("E07", "2021-04-20", "Xinjiang"),  # → March: before CCAF's first month here
        ]
    )
    table = shutdowns(events, provinces(), countries()).set_index("event_id")
    assert table.loc["E01", "exposure_month"] == T("2021-05-01")
    assert table.loc["E01", "exposure_share_of_china_pct"] == 40.0
    assert table.loc["E01", "exposure_share_of_global_pct"] == pytest.approx(16.0)
    assert table.loc["E02", "exposure_share_of_global_pct"] == pytest.approx(10.0)
    assert table.loc["E03", "exposure_share_of_china_pct"] == 100.0
    assert table.loc["E03", "exposure_share_of_global_pct"] == 40.0
    assert table.loc["E04", "exposure_share_of_global_pct"] == 0.0
    assert "no hashrate to China" in table.loc["E04", "exposure_note"]
    for unknown, why in (("E05", "folds Anhui into Other"), ("E06", "no exact announcement day"),
                         ("E07", "before CCAF's first month")):  # fmt: skip
        assert pd.isna(table.loc[unknown, "exposure_share_of_china_pct"])
        assert why in table.loc[unknown, "exposure_note"]
    # Text from the sources is carried verbatim; escaping is the renderer's job.
    assert table.loc["E01", "summary"].startswith("<script>")


def test_exposure_counts_each_province_once_and_national_as_all() -> None:
    events = pd.DataFrame(
        [
            event("E01", "2021-03-01", "Inner Mongolia", effective="2021-04-30"),  # +10 on 30 Apr
            event("E02", "2021-05-20", "Inner Mongolia"),  # already counted
            event("E03", "2021-06-09", "Xinjiang", "shutdown_order"),  # +50 on 9 Jun
            event("E04", "2021-06-10", "Sichuan", "power_cutoff"),  # not a stop order
            event("E05", "2021-06-18", "Anhui", "shutdown_order"),  # in Other: +0
            event("E06", "2021-09-24", "national"),  # 100 from 24 Sep
        ]
    )
    table = shutdown_exposure(events, provinces(), year=2021, baseline_month="2021-04-01")
    share = table.set_index("date")["share_of_china_under_order_pct"]
    assert len(table) == 365
    assert share[T("2021-04-29")] == 0
    assert share[T("2021-04-30")] == 10
    assert share[T("2021-06-08")] == 10
    assert share[T("2021-06-09")] == 60
    assert share[T("2021-06-18")] == 60
    assert share[T("2021-09-23")] == 60
    assert share[T("2021-09-24")] == 100
    assert share[T("2021-12-31")] == 100
    day = table.set_index("date").loc[T("2021-04-30")]
    assert day["orders_from_today"] == "E01"
    assert day["jurisdictions_under_order"] == "Inner Mongolia"


def test_missing_baseline_month_is_an_error() -> None:
    with pytest.raises(ValueError, match="baseline month 2020-01-01"):
        shutdown_exposure(pd.DataFrame([event("E01", "2021-03-01", "Xinjiang")]), provinces(),
                          year=2021, baseline_month="2020-01-01")  # fmt: skip


JURISDICTION = st.sampled_from(["Xinjiang", "Sichuan", "Inner Mongolia", "Anhui", "national"])
MEASURE = st.sampled_from(["ban", "shutdown_order", "power_cutoff", "investigation"])
DAY = st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2021, 12, 31))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(DAY, JURISDICTION, MEASURE), min_size=1, max_size=12))
def test_exposure_never_decreases_and_stays_a_share(orders) -> None:
    rows = [event(f"E{i:02d}", str(d), where, what) for i, (d, where, what) in enumerate(orders)]
    events = pd.DataFrame(rows)
    table = shutdown_exposure(events, provinces(), year=2021, baseline_month="2021-04-01")
    share = table["share_of_china_under_order_pct"]
    assert share.is_monotonic_increasing
    assert share.between(0, 100).all()
    stops = [o for o in orders if o[2] in ("ban", "shutdown_order")]
    if any(where == "national" for _, where, _ in stops):
        assert share.iloc[-1] == 100
