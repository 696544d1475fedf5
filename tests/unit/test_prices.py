"""Price tables: hand-built frames worked out by hand, and properties."""

from __future__ import annotations

from itertools import pairwise

import pandas as pd
import pandera.pandas as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mining_report.derive.catalog import CLEANED_MODELS, DERIVATIONS
from mining_report.derive.models.network import (
    DifficultyAdjustments,
    PriceRecovery,
    PriceTrends,
)
from mining_report.derive.models.prices import AsicPriceIndexQuotes, AsicPrices
from mining_report.derive.prices import (
    asic_price_index_quotes,
    asic_prices_by_class,
    classify_listings,
    difficulty_adjustments,
    listing_family,
    model_family,
    price_recovery,
    price_trends,
)
from mining_report.vocabularies import EFFICIENCY_CLASSES

MODELS = [PriceTrends, PriceRecovery, DifficultyAdjustments, AsicPrices, AsicPriceIndexQuotes]
BANDS_AND_UNCLASSIFIED = {"under 38 J/TH", "38-68 J/TH", "over 68 J/TH", "unclassified"}


def days(start: str, count: int) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=count, freq="D")


# --------------------------------------------------------------------------------------
# Weekly price trends: four complete weeks between two partial ones
# --------------------------------------------------------------------------------------


def trend_frame() -> pd.DataFrame:
    """2021-05-02 (Sun) .. 2021-05-31 (Mon): weeks A, B, C, D complete, one day either side.

    The two partial days carry absurd values: counting either would change every figure.
    """
    outlier = (10_000.0, 1_000.0, 99_999.0, 9e9)
    weeks = {
        # price (Sunday last)           hashrate EH/s               difficulty        revenue/day
        "A": ([90, 91, 92, 93, 94, 95, 250], [8, 9, 10, 11, 12, 10, 10], [1000] * 7, 1e6),
        "B": ([150] * 6 + [200], [14, 16, 18, 20, 22, 24, 26], [1000] * 4 + [1700] * 3, 4e6),
        "C": ([60] * 6 + [50], [15] * 7, [1400] * 7, 1.05e6),
        "D": ([100] * 6 + [220], [20] * 7, [1400] * 7, 1e6),
    }
    rows = [outlier]
    for price, hashrate, difficulty, revenue in weeks.values():
        rows += list(zip(price, hashrate, difficulty, [revenue] * 7, strict=True))
    rows.append(outlier)
    frame = pd.DataFrame(
        rows, columns=["price_usd", "hashrate_ehs", "difficulty", "miner_revenue_usd"], dtype=float
    )
    frame.insert(0, "date", days("2021-05-02", len(rows)))
    return frame


def test_weekly_close_means_hashprice_by_hand() -> None:
    table = price_trends(trend_frame(), "2021-05-10")
    # Only the four complete weeks; 2021-05-02 (a Sunday) and 2021-05-31 are dropped.
    mondays = ["2021-05-03", "2021-05-10", "2021-05-17", "2021-05-24"]
    assert list(table["week_start"]) == list(pd.to_datetime(mondays))
    assert list(table["iso_week"]) == ["2021-W18", "2021-W19", "2021-W20", "2021-W21"]
    # Close = the Sunday's price.
    assert list(table["btc_close_usd"]) == [250, 200, 50, 220]
    # A: (8+9+10+11+12+10+10)/7 = 70/7 = 10; B: (14+16+...+26)/7 = 140/7 = 20; C 15; D 20.
    assert list(table["hashrate_ehs_7d"]) == [10, 20, 15, 20]
    # B: (4 x 1000 + 3 x 1700)/7 = 9100/7 = 1300.
    assert table["difficulty"].tolist() == pytest.approx([1000, 1300, 1400, 1400])
    # Hashprice = week revenue / (sum of daily EH/s x 1e6):
    # A 7e6/70e6 = 0.1; B 28e6/140e6 = 0.2; C 7.35e6/105e6 = 0.07; D 7e6/140e6 = 0.05.
    assert table["hashprice_usd_per_th_day"].tolist() == pytest.approx([0.1, 0.2, 0.07, 0.05])


def test_indices_and_drawdowns_by_hand() -> None:
    table = price_trends(trend_frame(), "2021-05-10").set_index("iso_week")
    expected_index = {
        "btc_close_index": [125, 100, 25, 110],  # 250/200, 200/200, 50/200, 220/200
        "hashrate_index": [50, 100, 75, 100],  # 10/20, 20/20, 15/20, 20/20
        "difficulty_index": [100_000 / 1300, 100, 140_000 / 1300, 140_000 / 1300],
        "hashprice_index": [50, 100, 35, 25],  # 0.1/0.2, 0.2/0.2, 0.07/0.2, 0.05/0.2
    }
    # Pre-ban peaks (weeks A and B): close 250 (A), hashrate 20, difficulty 1300, hashprice 0.2.
    expected_drawdown = {
        "btc_close_drawdown_pct": [0, -20, -80, -12],  # 250/250, 200/250, 50/250, 220/250
        "hashrate_drawdown_pct": [-50, 0, -25, 0],
        # 1000/1300 - 1 = -23.08 %; 1400/1300 - 1 = +7.69 % (above the peak after the base week)
        "difficulty_drawdown_pct": [-300 / 13, 0, 100 / 13, 100 / 13],
        "hashprice_drawdown_pct": [-50, 0, -65, -75],
    }
    for column, values in {**expected_index, **expected_drawdown}.items():
        assert table[column].tolist() == pytest.approx(values, abs=1e-9), column


def test_any_day_names_its_week_and_a_partial_base_week_is_refused() -> None:
    monday = price_trends(trend_frame(), "2021-05-10")
    wednesday = price_trends(trend_frame(), "2021-05-12")
    pd.testing.assert_frame_equal(monday, wednesday)
    with pytest.raises(ValueError, match="not a complete week"):
        price_trends(trend_frame(), "2021-05-31")


def test_recovery_by_hand() -> None:
    table = price_recovery(trend_frame(), "2021-05-10").set_index("series")
    week = pd.Timestamp
    # close: base 200; peak 250 in A; trough 50 in C; D (220 >= 200) two weeks after B.
    close = table.loc["btc_close_usd"]
    assert (close["base_value"], close["pre_ban_peak"], close["trough_value"]) == (200, 250, 50)
    assert close["pre_ban_peak_week_start"] == week("2021-05-03")
    assert close["trough_week_start"] == week("2021-05-17")
    assert (close["weeks_to_baseline"], close["recovered_by"]) == (2, "2021-05-24")
    # hashrate: D equals the base (20 = 20), which counts as back at base.
    hashrate = table.loc["hashrate_ehs_7d"]
    assert (hashrate["base_value"], hashrate["pre_ban_peak"], hashrate["trough_value"]) == (
        20,
        20,
        15,
    )
    assert (hashrate["weeks_to_baseline"], hashrate["recovered_by"]) == (2, "2021-05-24")
    # difficulty: C and D (1400) never fall below the base (1300), so there is nothing
    # to recover from: 0 weeks, recovered in the base week itself, no trough.
    difficulty = table.loc["difficulty"]
    assert pd.isna(difficulty["trough_week_start"]) and pd.isna(difficulty["trough_value"])
    assert (difficulty["weeks_to_baseline"], difficulty["recovered_by"]) == (0, "2021-05-10")
    # hashprice: 0.07 and 0.05 stay below 0.2; the text names the last day of the data
    # (2021-05-31, a partial week), not a hard-coded date.
    hashprice = table.loc["hashprice_usd_per_th_day"]
    assert hashprice["trough_value"] == pytest.approx(0.05)
    assert hashprice["trough_week_start"] == week("2021-05-24")
    assert pd.isna(hashprice["weeks_to_baseline"])
    assert hashprice["recovered_by"] == "not by 2021-05-31"
    assert set(table["base_week_start"]) == {week("2021-05-10")}
    assert str(table["weeks_to_baseline"].dtype) == "Int64"


@st.composite
def daily_series(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.Timestamp, int]:
    """Random positive daily values: 0-6 days, then 1-8 complete weeks, then 0-6 days."""
    lead, weeks, tail = draw(st.integers(0, 6)), draw(st.integers(1, 8)), draw(st.integers(0, 6))
    first_monday = pd.Timestamp("2021-03-01")
    count = lead + 7 * weeks + tail
    value = st.floats(min_value=0.01, max_value=1e4, allow_nan=False, allow_infinity=False)
    columns = ["price_usd", "hashrate_ehs", "difficulty", "miner_revenue_usd"]
    frame = pd.DataFrame(
        {c: draw(st.lists(value, min_size=count, max_size=count)) for c in columns}
    )
    frame.insert(0, "date", days(f"{first_monday - pd.Timedelta(days=lead):%Y-%m-%d}", count))
    base_day = first_monday + pd.Timedelta(days=draw(st.integers(0, 7 * weeks - 1)))
    return frame, base_day, weeks


@given(daily_series())
def test_index_is_100_in_the_base_week_and_drawdown_not_positive_before(case) -> None:
    frame, base_day, weeks = case
    table = price_trends(frame, f"{base_day:%Y-%m-%d}")
    assert len(table) == weeks
    base_week = base_day - pd.Timedelta(days=base_day.day_of_week)
    base = table[table["week_start"] == base_week]
    for column in ["btc_close_index", "hashrate_index", "difficulty_index", "hashprice_index"]:
        assert base[column].tolist() == [100.0], column
    up_to_base = table[table["week_start"] <= base_week]
    for column in [c for c in table.columns if c.endswith("_drawdown_pct")]:
        assert (up_to_base[column] <= 0).all(), column


# --------------------------------------------------------------------------------------
# Difficulty adjustments
# --------------------------------------------------------------------------------------


def difficulty_frame(values: list[float], start: str = "2021-01-01") -> pd.DataFrame:
    return pd.DataFrame({"date": days(start, len(values)), "difficulty": values})


def test_two_epochs_a_mixed_day_and_abutting_runs_by_hand() -> None:
    values = [
        90,  # 01-01 lone first day: its epoch starts before the data, not used
        100, 100.00005, 100,  # 01-02..04 epoch 1 (5e-7 relative wobble), median 100
        130,  # 01-05 mixed day
        200, 200, 200,  # 01-06..08 epoch 2
        150, 150,  # 01-09..10 epoch 3, no mixed day
        170,  # 01-11 lone last day: not used
    ]  # fmt: skip
    table = difficulty_adjustments(difficulty_frame(values))
    assert list(table["date"]) == [pd.Timestamp("2021-01-06"), pd.Timestamp("2021-01-09")]
    assert table["mixed_day"].iloc[0] == pd.Timestamp("2021-01-05")
    assert pd.isna(table["mixed_day"].iloc[1])
    assert table["difficulty_before"].tolist() == [100, 200]
    assert table["difficulty_after"].tolist() == [200, 150]
    # 200/100 x 100 - 100 = +100; 150/200 x 100 - 100 = -25.
    assert table["change_pct"].tolist() == pytest.approx([100, -25])


def test_a_change_above_the_tolerance_starts_a_new_epoch() -> None:
    # 2e-6 relative is above the 1e-6 tolerance: two epochs, +0.0002 %.
    table = difficulty_adjustments(difficulty_frame([100, 100, 100.0002, 100.0002]))
    assert list(table["date"]) == [pd.Timestamp("2021-01-03")]
    assert table["change_pct"].iloc[0] == pytest.approx(0.0002, abs=1e-9)


def test_two_odd_days_between_epochs_are_refused() -> None:
    with pytest.raises(ValueError, match="2021-01-03, 2021-01-04"):
        difficulty_adjustments(difficulty_frame([100, 100, 130, 160, 200, 200]))


@st.composite
def epochs(draw: st.DrawFn) -> tuple[list[float], list[float], list[bool]]:
    """2-6 epochs of 2-5 days with distinct values (at least 1 % apart), mixed days or not."""
    count = draw(st.integers(2, 6))
    levels = draw(
        st.lists(st.integers(100, 10_000), min_size=count, max_size=count, unique=True)
        .map(lambda xs: [x * 1e9 for x in xs])
        .filter(lambda xs: all(abs(b / a - 1) > 0.01 for a, b in pairwise(xs)))
    )
    mixed = draw(st.lists(st.booleans(), min_size=count - 1, max_size=count - 1))
    values: list[float] = []
    for i, level in enumerate(levels):
        if i and mixed[i - 1]:
            share = draw(st.floats(0.1, 0.9))
            values.append(share * levels[i - 1] + (1 - share) * level)
        wobble = draw(st.lists(st.floats(-1e-8, 1e-8), min_size=2, max_size=5))
        values += [level * (1 + w) for w in wobble]
    return values, levels, mixed


@given(epochs())
def test_every_generated_adjustment_is_found(case) -> None:
    values, levels, mixed = case
    table = difficulty_adjustments(difficulty_frame(values))
    assert len(table) == len(levels) - 1
    # Compare after/before ratios: the 1e-8 wobble of each epoch allows 2e-8 relative.
    ratios = [b / a * 100 for a, b in pairwise(levels)]
    assert (table["change_pct"] + 100).tolist() == pytest.approx(ratios, rel=1e-7)
    assert table["mixed_day"].notna().tolist() == mixed


# --------------------------------------------------------------------------------------
# ASIC prices by efficiency class
# --------------------------------------------------------------------------------------


def spec_frame() -> pd.DataFrame:
    rows = [
        ("Antminer S19j Pro (104T)", 104, 3068),  # 29.5 J/TH
        ("Antminer S19j Pro (96T)", 96, 2832),  # 29.5
        ("Antminer S9", 14, 1190),  # 85
        ("Antminer S9", 13, 1300),  # 100 -> family median (85 + 100)/2 = 92.5
        ("Antminer S19", 95, 3250),  # 34.2105
        ("Antminer S19", 90, 3600),  # 40 -> family median (34.2105 + 40)/2 = 37.1053
        ("Whatsminer M20S", 68, 3264),  # 48
        ("Whatsminer M20S (62T)", 62, 2480),  # 40 -> family median 44
        ("Avalonminer 1166 Pro (81T)", 81, 3402),  # 42
        ("Whatsminer M31S+ (80T)", 80, 3040),  # 38.0: the lower edge of 38-68
        ("Antminer T17 (40T)", 40, 2720),  # 68.0: the upper edge of 38-68
    ]
    return pd.DataFrame(rows, columns=["model", "hashrate_ths", "power_w"]).assign(maker="m")


def listing_frame() -> pd.DataFrame:
    dealer = "Kaboomracks"
    rows = [
        # February 2021
        ("2021-02-10", "Antminer S19j Pro 104T", 80, 104, dealer),  # spec 29.5: under 38
        ("2021-02-20", "Antminer S19j Pro 100T", 70, 100, dealer),  # family 29.5: under 38
        ("2021-02-25", "Antminer S9 13.5T", 10, 13.5, dealer),  # family 92.5: over 68
        ("2021-02-26", "Whatsminer M20s 60T", 40, 60, dealer),  # family 44: 38-68
        ("2021-02-27", "Whatsminer M31S plus 80T", 30, 80, dealer),  # spec 38.0: 38-68
        # March 2021: only an index quote, no dealer listing
        ("2021-03-15", "Hashrate Index ASIC Price Index: under 38 J/TH", 119.25, None, None),
        # April 2021
        ("2021-04-03", "Canaan Avalonminer 1166 Pro 81T", 50, 81, dealer),  # spec 42: 38-68
        ("2021-04-05", "Antminer S19 90T", 60, 90, dealer),  # spec 40: 38-68
        ("2021-04-06", "Whatsminer M36s 130T 38J/th", 25, 130, dealer),  # no model
        ("2021-04-07", "Antminer T17 40T", 20, 40, dealer),  # spec 68.0: 38-68
        ("2021-04-08", "Antminer S19 86T", 45, 86, dealer),  # family 37.1: under 38
    ]
    frame = pd.DataFrame(
        rows, columns=["date", "series", "price_usd_per_th", "hashrate_ths", "vendor"]
    )
    return frame.assign(date=pd.to_datetime(frame["date"]), note="as listed")


@pytest.mark.parametrize(
    ("series", "family"),
    [
        ("Antminer S19j Pro 104T", "antminers19jpro"),
        ("Antminer S9 13.5T", "antminers9"),
        ("Canaan Avalonminer 1166 Pro 81T", "avalonminer1166pro"),
        ("Whatsminer M30s ++ 104T 31J/th", "whatsminerm30s++"),
        ("Whatsminer M31S+ 82T 42 W/T", "whatsminerm31s+"),
        ("Whatsminer M31S plus 80t", "whatsminerm31s+"),
        ("Canaan Avalonminer 1066", "avalonminer1066"),  # no hash rate to cut
        ("M30S-PLUS-2-110T-31J", "m30s-+-2-110t-31j"),  # no space before 110T: kept
    ],
)
def test_listing_family(series: str, family: str) -> None:
    assert listing_family(series) == family


@pytest.mark.parametrize(
    ("model", "family"),
    [
        ("Antminer S19j Pro (104T)", "antminers19jpro"),
        ("Antminer S9 (13.5T)", "antminers9"),
        ("Whatsminer M30S++ (106T)", "whatsminerm30s++"),
        ("Avalon 1066", "avalon1066"),
        ("Whatsminer M10S (Underclocked )", "whatsminerm10s(underclocked)"),
    ],
)
def test_model_family(model: str, family: str) -> None:
    assert model_family(model) == family


def test_listings_take_the_spec_at_their_hashrate_else_the_family_median() -> None:
    listings = classify_listings(listing_frame(), spec_frame()).set_index("date")
    assert len(listings) == 10  # the index quote is not a listing
    j = listings["j_per_th"]
    assert j[pd.Timestamp("2021-04-05")] == pytest.approx(40.0)  # S19 90T: its own spec
    assert j[pd.Timestamp("2021-04-08")] == pytest.approx((3250 / 95 + 40) / 2)  # S19 86T
    assert j[pd.Timestamp("2021-02-25")] == pytest.approx(92.5)  # S9 13.5T
    assert pd.isna(j[pd.Timestamp("2021-04-06")])  # M36s: no model, no guess


def test_monthly_medians_by_class_by_hand() -> None:
    table = asic_prices_by_class(listing_frame(), spec_frame())
    # 3 months (2021-02 .. 2021-04) x 4 classes; March is present though empty.
    assert len(table) == 12
    got = table.set_index(["month", "efficiency_class"])
    feb, mar, apr = (pd.Timestamp(m) for m in ("2021-02-01", "2021-03-01", "2021-04-01"))
    expected = {
        (feb, "under 38 J/TH"): (75.0, 2),  # median(80, 70)
        (feb, "38-68 J/TH"): (35.0, 2),  # median(40, 30)
        (feb, "over 68 J/TH"): (10.0, 1),
        (feb, "unclassified"): (None, 0),
        (apr, "under 38 J/TH"): (45.0, 1),
        (apr, "38-68 J/TH"): (50.0, 3),  # median(50, 60, 20)
        (apr, "over 68 J/TH"): (None, 0),
        (apr, "unclassified"): (25.0, 1),
    }
    for key, (median, listings) in expected.items():
        row = got.loc[key]
        assert row["listings"] == listings, key
        if median is None:
            assert pd.isna(row["median_usd_per_th"]), key
        else:
            assert row["median_usd_per_th"] == pytest.approx(median), key
    march = got.loc[mar]
    assert set(march.index) == BANDS_AND_UNCLASSIFIED
    assert (march["listings"] == 0).all() and march["median_usd_per_th"].isna().all()


def test_index_quotes_parse_the_class_and_refuse_an_unknown_one() -> None:
    quotes = asic_price_index_quotes(listing_frame())
    assert quotes.to_dict("records") == [
        {
            "date": pd.Timestamp("2021-03-15"),
            "efficiency_class": "under 38 J/TH",
            "usd_per_th": 119.25,
            "note": "as listed",
        }
    ]
    odd = listing_frame()
    odd.loc[5, "series"] = "Hashrate Index ASIC Price Index: all machines"
    with pytest.raises(ValueError, match="all machines"):
        asic_price_index_quotes(odd)


SERIES_HASHRATE = {
    "Antminer S19j Pro 104T": 104,
    "Antminer S9 13.5T": 13.5,
    "Whatsminer M20s 60T": 60,
    "Whatsminer M36s 130T": 130,
    "Antminer T17 40T": 40,
}
listing_rows = st.tuples(
    st.integers(0, 23),  # month after 2021-01
    st.integers(1, 28),  # day
    st.sampled_from(sorted(SERIES_HASHRATE)),
    st.floats(1, 500, allow_nan=False),
    st.booleans(),  # dealer listing (vendor set) or not
)


@given(st.lists(listing_rows, min_size=1, max_size=40))
def test_every_month_times_every_class_and_every_dealer_listing_counted(rows) -> None:
    frame = pd.DataFrame(
        {
            "date": [pd.Timestamp(2021 + m // 12, 1 + m % 12, d) for m, d, *_ in rows],
            "series": [s for _, _, s, _, _ in rows],
            "price_usd_per_th": [p for *_, p, _ in rows],
            "hashrate_ths": [SERIES_HASHRATE[s] for _, _, s, _, _ in rows],
            "vendor": ["dealer" if dealer else None for *_, dealer in rows],
        }
    )
    table = asic_prices_by_class(frame, spec_frame())
    dealer_months = [m for m, _, _, _, dealer in rows if dealer]
    months = max(dealer_months) - min(dealer_months) + 1 if dealer_months else 0
    assert len(table) == months * 4
    assert table["listings"].sum() == len(dealer_months)
    if months:
        assert set(table["efficiency_class"]) == BANDS_AND_UNCLASSIFIED


# --------------------------------------------------------------------------------------
# Models and catalog
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_is_documented_keyed_and_strict(model: type[pa.DataFrameModel]) -> None:
    schema = model.to_schema()
    assert model.__doc__ and "Key:" in model.__doc__
    assert schema.strict is True and schema.coerce is True and schema.unique
    assert all(column.description for column in schema.columns.values())


def test_units_are_recorded() -> None:
    def units(model: type[pa.DataFrameModel]) -> dict[str, str | None]:
        return {n: (c.metadata or {}).get("unit") for n, c in model.to_schema().columns.items()}

    trends = units(PriceTrends)
    assert trends["btc_close_usd"] == "USD"
    assert trends["hashrate_ehs_7d"] == "EH/s"
    assert trends["hashprice_usd_per_th_day"] == "USD per TH/s per day"
    assert {trends[c] for c in trends if c.endswith("_index")} == {"index (base week = 100)"}
    assert {trends[c] for c in trends if c.endswith("_drawdown_pct")} == {"percent"}
    assert units(PriceRecovery)["weeks_to_baseline"] == "weeks"
    assert units(DifficultyAdjustments)["change_pct"] == "percent"
    assert units(AsicPrices)["median_usd_per_th"] == "USD per TH/s"


def test_catalog_registers_every_price_table() -> None:
    tables = {"price_trends", "price_recovery", "difficulty_adjustments", "asic_prices",
              "asic_price_index_quotes"}  # fmt: skip
    assert tables <= set(DERIVATIONS) and tables <= set(CLEANED_MODELS)
    assert EFFICIENCY_CLASSES == ("under 38 J/TH", "38-68 J/TH", "over 68 J/TH", "unclassified")
