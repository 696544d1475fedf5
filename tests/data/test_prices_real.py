"""Price tables of the committed snapshots against published figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mining_report.derive.network import btc_daily
from mining_report.derive.prices import (
    asic_price_index_quotes,
    asic_prices_by_class,
    classify_listings,
    difficulty_adjustments,
    price_recovery,
    price_trends,
)
from mining_report.raw.models import RAW_MODELS
from mining_report.raw.models.coin_metrics import BtcDailyRaw
from mining_report.raw.validation import validate_raw

from conftest import ROOT


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("v")
    tables = {"coinmetrics_btc_daily": "coinmetrics", "asic_models": "hardware",
              "asic_listings": "hardware"}  # fmt: skip
    validated = {
        name: validate_raw(
            ROOT / f"data/raw/{where}/{name}.csv",
            RAW_MODELS[name],
            folder / f"{name}.csv",
        )
        for name, where in tables.items()
    }
    # btc_daily is computed from the validated fields, as the DAG does.
    fields = ROOT / "data/raw/coinmetrics/coinmetrics_btc_daily.csv"
    validated["btc_daily"] = BtcDailyRaw.validate(btc_daily(fields), lazy=True)
    return validated


@pytest.fixture(scope="module")
def weekly(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return price_trends(raw["btc_daily"], "2021-05-10").set_index("week_start")


def test_real_july_2021_adjustment_is_minus_27_94_pct(raw: dict[str, pd.DataFrame]) -> None:
    table = difficulty_adjustments(raw["btc_daily"]).set_index("date")
    # 2021-07-03 is the mixed day (15,415,579,678,546); 2021-07-04 the first day of the new
    # epoch. Published: 19,932,791,027,263 -> 14,363,025,653,677, -27.94 % (about -27.9 %).
    row = table.loc[pd.Timestamp("2021-07-04")]
    assert row["mixed_day"] == pd.Timestamp("2021-07-03")
    assert row["difficulty_before"] == pytest.approx(19_932_791_027_263, rel=1e-8)
    assert row["difficulty_after"] == pytest.approx(14_363_025_653_677, rel=1e-8)
    assert row["change_pct"] == pytest.approx(-27.94, abs=0.01)


def test_real_weeks_are_complete_iso_weeks(weekly: pd.DataFrame) -> None:
    # 2020-01-01 is a Wednesday and 2022-06-30 a Thursday: both partial weeks are dropped.
    assert weekly.index[0] == pd.Timestamp("2020-01-06")
    assert weekly.index[-1] == pd.Timestamp("2022-06-20")
    assert len(weekly) == (pd.Timestamp("2022-06-20") - pd.Timestamp("2020-01-06")).days // 7 + 1
    assert weekly.loc[pd.Timestamp("2021-05-10"), "iso_week"] == "2021-W19"


def test_real_hashrate_7_day_means(weekly: pd.DataFrame) -> None:
    # MARKETS_PROVENANCE check C5: 10-16 May 2021 mean 172.59 EH/s. From btc_daily.csv:
    # 184.404830 + 176.209059 + 176.209059 + 186.999514 + 166.839066 + 153.143322
    # + 164.348931 = 1208.153781; / 7 = 172.593397.
    assert weekly.loc[pd.Timestamp("2021-05-10"), "hashrate_ehs_7d"] == pytest.approx(
        172.59, abs=0.005
    )
    # 28 Jun - 4 Jul 2021 (the data give 89.61; C5's 92.46 is 1-7 Jul, not an ISO week):
    # 87.196068 + 89.177797 + 87.196068 + 95.122984 + 89.177797 + 97.321703 + 82.108836
    # = 627.301253; / 7 = 89.614465.
    assert weekly.loc[pd.Timestamp("2021-06-28"), "hashrate_ehs_7d"] == pytest.approx(
        89.614465, abs=1e-6
    )


def test_real_base_week_hashprice_and_close(weekly: pd.DataFrame) -> None:
    # Revenue 10-16 May 2021: 68,621,060.87 + 65,460,751.76 + 58,730,800.40 + 53,209,454.34
    # + 45,528,576.80 + 39,069,544.41 + 40,419,153.89 = 371,039,342.47 USD;
    # / (1208.153781 EH/s x 1e6) = 0.307113 USD per TH/s per day.
    base = weekly.loc[pd.Timestamp("2021-05-10")]
    assert base["hashprice_usd_per_th_day"] == pytest.approx(371_039_342.47 / 1_208_153_781)
    assert base["btc_close_usd"] == 46_022.50  # Sunday 2021-05-16 in btc_daily.csv


def test_real_btc_close(raw: dict[str, pd.DataFrame], weekly: pd.DataFrame) -> None:
    daily = raw["btc_daily"].set_index("date")["price_usd"]
    # Sidecar check: 2021-06-30 35,065.47 ("about 35,000"), a Wednesday.
    assert daily[pd.Timestamp("2021-06-30")] == 35_065.47
    # Its ISO week closes on Sunday 2021-07-04 at 35,355.61 (btc_daily.csv).
    assert weekly.loc[pd.Timestamp("2021-06-28"), "btc_close_usd"] == 35_355.61


def test_real_btc_recovery(raw: dict[str, pd.DataFrame]) -> None:
    table = price_recovery(raw["btc_daily"], "2021-05-10").set_index("series")
    close = table.loc["btc_close_usd"]
    # Sunday closes in btc_daily.csv after 2021-05-16 (46,022.50): 05-23 34,774.21 ...
    # 07-18 31,707.70 (lowest until 2022), 08-01 39,968.97, 08-08 43,972.30, then
    # 08-15 47,074.37, the first >= 46,022.50: week of 2021-08-09, 91 days = 13 weeks.
    assert close["base_value"] == 46_022.50
    assert (close["weeks_to_baseline"], close["recovered_by"]) == (13, "2021-08-09")
    # The trough is the crackdown's (week of 2021-07-12, closing 07-18 at 31,707.70),
    # not the lower 2022 prices after the recovery.
    assert close["trough_week_start"] == pd.Timestamp("2021-07-12")
    assert close["trough_value"] == 31_707.70


def test_real_asic_table_covers_every_month_and_listing(raw: dict[str, pd.DataFrame]) -> None:
    table = asic_prices_by_class(raw["asic_listings"], raw["asic_models"])
    # Listings 2021-02-23 .. 2022-08-25: 19 months x 4 classes; 755 dealer listings.
    assert len(table) == 19 * 4
    assert table["listings"].sum() == 755
    per_month = table.groupby("month")["listings"].sum()
    empty = per_month[per_month == 0].index
    assert list(empty) == list(pd.date_range("2021-06-01", "2021-12-01", freq="MS"))
    # January 2022 holds only the two btc-utils-be README example listings (2022-01-30).
    assert per_month[pd.Timestamp("2022-01-01")] == 2


def test_real_early_months_by_hand(raw: dict[str, pd.DataFrame]) -> None:
    got = asic_prices_by_class(raw["asic_listings"], raw["asic_models"]).set_index(
        ["month", "efficiency_class"]
    )

    def cell(month: str, band: str) -> tuple[float, int]:
        row = got.loc[(pd.Timestamp(month), band)]
        return row["median_usd_per_th"], row["listings"]

    # Feb 2021: five Antminer S19j Pro listings (104T 88.46 x3, 92T 84.53 x2); S19j Pro
    # (104T) is 3068 W / 104 TH = 29.5 J/TH. The sidecar's S19j Pro median is 88.5.
    assert cell("2021-02-01", "under 38 J/TH") == (88.46, 5)
    # Mar 2021: 84.53 and 88.46 -> 86.495; Avalonminer 1166 Pro 81T 58.01 at 3402/81 = 42.
    assert cell("2021-03-01", "under 38 J/TH") == (pytest.approx(86.495), 2)
    assert cell("2021-03-01", "38-68 J/TH") == (58.01, 1)
    # Apr, May 2021: Antminer S9 13.5T at 1323/13.5 = 98 J/TH: 34.81; median(34.07, 26.67).
    assert cell("2021-04-01", "over 68 J/TH") == (34.81, 1)
    assert cell("2021-05-01", "over 68 J/TH") == (pytest.approx(30.37), 2)
    # Jan 2022: M30S-PLUS-2-110T-31J matches no model; M31S+ 82T is 3444/82 = 42 J/TH.
    assert cell("2022-01-01", "unclassified") == (100.41, 1)
    assert cell("2022-01-01", "38-68 J/TH") == (69.50, 1)


def test_real_unclassified_series_have_no_model(raw: dict[str, pd.DataFrame]) -> None:
    listings = classify_listings(raw["asic_listings"], raw["asic_models"])
    unclassified = set(listings.loc[listings["efficiency_class"] == "unclassified", "family"])
    # asic_models has no S19j (non-Pro), S19 XPro, M36S or M50S, and names the 1066
    # "Avalon 1066", not "Avalonminer 1066".
    assert unclassified == {
        "antminers19j", "antminers19xpro", "avalonminer1066", "whatsminerm36s",
        "whatsminerm50s", "m30s-+-2-110t-31j",
    }  # fmt: skip
    assert np.isnan(listings.loc[listings["efficiency_class"] == "unclassified", "j_per_th"]).all()


def test_real_index_quotes(raw: dict[str, pd.DataFrame]) -> None:
    quotes = asic_price_index_quotes(raw["asic_listings"]).set_index(["date", "efficiency_class"])
    assert len(quotes) == 5
    # Values from the asic_listings sidecar (known_gaps).
    assert quotes.loc[(pd.Timestamp("2021-05-07"), "under 38 J/TH"), "usd_per_th"] == 119.25
    assert quotes.loc[(pd.Timestamp("2021-05-07"), "38-68 J/TH"), "usd_per_th"] == 96.24
    assert quotes.loc[(pd.Timestamp("2022-12-25"), "over 68 J/TH"), "usd_per_th"] == 4.72
