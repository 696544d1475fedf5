"""Prices, difficulty and machine prices (Coin Metrics, dealer listings)."""

from __future__ import annotations

import pandas as pd

from mining_report.formatting import day_text, month_text, number, percent, with_unit
from mining_report.numbers.common import (
    ASIC,
    COUNT,
    DAY,
    DIFFICULTY,
    MONTH,
    QUOTES,
    RECOVERY,
    TRENDS,
    _is,
    _on,
    merge,
)
from mining_report.numbers.lineage import Format, Selection, pick, quote

#: Weekly price series → the prefix of their variables.
TREND_SLUGS = {
    "btc_close_usd": "btc",
    "hashrate_ehs_7d": "hashrate",
    "difficulty": "difficulty",
    "hashprice_usd_per_th_day": "hashprice",
}

#: Weekly price series as the text names them.
TREND_NAMES = {
    "btc_close_usd": "the price of bitcoin",
    "hashrate_ehs_7d": "the network's hashrate",
    "difficulty": "the mining difficulty",
    "hashprice_usd_per_th_day": "hashprice",
}


def recovery_numbers(price_recovery: pd.DataFrame, price_trends: pd.DataFrame) -> dict[str, str]:
    """Per weekly series: its trough as a percent of the base week, and when it was back.

    Recovery is counted from the base week (not from the trough): ``weeks`` is the
    number of weeks from the base week to the first later week at or above the
    base-week value, after the series first fell below it.
    """
    recovery = price_recovery.set_index("series")
    base_week = recovery["base_week_start"].iloc[0]
    base = price_trends["week_start"] == base_week
    out: dict[str, str] = {
        "base_week": quote(
            day_text(base_week),
            "the Monday of the base week (set in the configuration)",
            pick(RECOVERY, "base_week_start", op="first"),
            fmt=DAY,
        ),
        "index_base": quote(
            number(price_trends.loc[base, "btc_close_index"].iloc[0]),
            "the index of the price of bitcoin in the base week",
            pick(TRENDS, "btc_close_index", where=[_is("week_start", base_week)]),
            fmt=Format(kind="number"),
        ),
    }
    whole = Format(kind="percent", decimals=0)
    for series, slug in TREND_SLUGS.items():
        row = recovery.loc[series]
        name = TREND_NAMES[series]
        mine = [_is("series", series)]

        def column(name: str, rows: list = mine) -> Selection:
            return pick(RECOVERY, name, where=rows)

        if pd.notna(row["trough_value"]):
            out[f"{slug}_trough_index"] = quote(
                percent(row["trough_value"] / row["base_value"] * 100, 0),
                f"the trough of {name} as a percent of its base-week value",
                column("trough_value"),
                column("base_value"),
                combine="ratio",
                fmt=whole,
            )
            out[f"{slug}_trough_week"] = quote(
                day_text(row["trough_week_start"]),
                f"the Monday of the trough week of {name}",
                column("trough_week_start"),
                fmt=DAY,
            )
        recovered = str(row["recovered_by"])
        out[f"{slug}_recovered_by"] = quote(
            "not by " + day_text(pd.Timestamp(recovered.removeprefix("not by ")))
            if recovered.startswith("not by")
            else day_text(pd.Timestamp(recovered)),
            f"the Monday of the first week {name} was back at its base-week level",
            column("recovered_by"),
            fmt=DAY,
        )
        weeks = row["weeks_to_baseline"]
        out[f"{slug}_weeks_to_baseline"] = quote(
            "none" if pd.isna(weeks) else number(weeks),
            f"the weeks from the base week until {name} was back at its base-week level",
            column("weeks_to_baseline"),
            fmt=Format(kind="count", missing="none"),
        )
        out[f"{slug}_pre_ban_peak_index"] = quote(
            percent(row["pre_ban_peak"] / row["base_value"] * 100, 0),
            f"the pre-ban peak of {name} as a percent of its base-week value",
            column("pre_ban_peak"),
            column("base_value"),
            combine="ratio",
            fmt=whole,
        )
        out[f"{slug}_pre_ban_peak_week"] = quote(
            day_text(row["pre_ban_peak_week_start"]),
            f"the Monday of the pre-ban peak week of {name}",
            column("pre_ban_peak_week_start"),
            fmt=DAY,
        )
    # The series back at its base-week level earliest (after falling below it).
    fell = recovery[recovery["trough_value"].notna() & recovery["weeks_to_baseline"].notna()]
    if not fell.empty:
        first = str(fell["weeks_to_baseline"].astype(int).idxmin())
        rows = [("trough_value", "notna"), ("weeks_to_baseline", "notna")]
        among = "the series that fell below their base week and came back"
        out["first_recovered"] = quote(
            TREND_NAMES[first],
            "the weekly series back at its base-week level soonest",
            pick(RECOVERY, "series", op="argmin", by="weeks_to_baseline", where=rows),
            fmt=Format(kind="label", labels=TREND_NAMES),
            filter=among,
        )
        out["first_recovered_weeks"] = quote(
            number(fell.loc[first, "weeks_to_baseline"]),
            "the fewest weeks a weekly series took to be back at its base-week level",
            pick(RECOVERY, "weeks_to_baseline", op="min", where=rows),
            fmt=COUNT,
            filter=among,
        )
    return out


def difficulty_numbers(difficulty_adjustments: pd.DataFrame) -> dict[str, str]:
    """The largest downward difficulty adjustment: its day and size."""
    # The largest fall; of equal falls, the earliest, as the lineage's argmin takes it.
    drop = difficulty_adjustments.sort_values(["change_pct", "date"], kind="stable").iloc[0]
    # The adjustment block was mined on the mixed day, when there is one.
    mixed = pd.notna(drop.get("mixed_day"))
    day = drop["mixed_day"] if mixed else drop["date"]
    every = "every difficulty adjustment"
    return {
        "difficulty_drop_day": quote(
            day_text(day), "the day of the largest downward difficulty adjustment",
            pick(DIFFICULTY, "mixed_day" if mixed else "date", op="argmin", by="change_pct"),
            fmt=DAY, filter=every,
        ),
        "difficulty_drop_pct": quote(
            percent(abs(drop["change_pct"]), 1), "the largest downward difficulty adjustment",
            pick(DIFFICULTY, "change_pct", op="min"),
            fmt=Format(kind="percent", decimals=1, absolute=True), filter=every,
        ),
        "difficulty_adjustment_count": quote(
            number(len(difficulty_adjustments)), "the number of difficulty adjustments",
            pick(DIFFICULTY, "date", op="count"), fmt=COUNT, filter=every,
        ),
    }  # fmt: skip


def asking_price_numbers(asic_prices: pd.DataFrame) -> dict[str, str]:
    """Dealer asking prices of the most efficient machines: first and last month, and the gap."""
    per_month = asic_prices.groupby("month")["listings"].sum()
    empty = per_month[per_month == 0].index
    efficient = asic_prices[
        (asic_prices["efficiency_class"] == "under 38 J/TH")
        & asic_prices["median_usd_per_th"].notna()
    ].sort_values("month")
    first, last = efficient.iloc[0], efficient.iloc[-1]
    resumed = efficient[efficient["month"] > empty.max()].iloc[0]  # first price after the gap
    before_gap = empty.min() - pd.DateOffset(months=1)
    after_gap = empty.max() + pd.DateOffset(months=1)
    no_listing = {"group_by": ["month"], "by": "listings", "having": [("listings", "==", 0)]}
    best = [_is("efficiency_class", "under 38 J/TH"), ("median_usd_per_th", "notna")]
    best_words = "machines under 38 J/TH, every month with listings"
    usd = Format(kind="unit", unit="USD per TH/s", decimals=2)
    return {
        "asic_gap_first": quote(
            month_text(empty.min()), "the first month without any dealer listing",
            pick(ASIC, "month", op="min", **no_listing), fmt=MONTH,
            filter="every month and efficiency class",
        ),
        "asic_gap_last": quote(
            month_text(empty.max()), "the last month without any dealer listing",
            pick(ASIC, "month", op="max", **no_listing), fmt=MONTH,
            filter="every month and efficiency class",
        ),
        "asic_first_month": quote(
            month_text(first["month"]), "the first month with a price for machines under 38 J/TH",
            pick(ASIC, "month", op="first", where=best), fmt=MONTH, filter=best_words,
        ),
        "asic_first_efficient_median": quote(
            with_unit(first["median_usd_per_th"], "USD per TH/s", 2),
            f"the median asking price of machines under 38 J/TH in {month_text(first['month'])}",
            pick(ASIC, "median_usd_per_th", op="first", where=best), fmt=usd, filter=best_words,
        ),
        "asic_resumed_month": quote(
            month_text(resumed["month"]),
            "the first month after the gap with a price for machines under 38 J/TH",
            pick(ASIC, "month", op="first", where=[*best, ("month", ">", empty.max())]),
            fmt=MONTH, filter=best_words + ", after the gap",
        ),
        "asic_resumed_efficient_median": quote(
            with_unit(resumed["median_usd_per_th"], "USD per TH/s", 2),
            f"the median asking price of machines under 38 J/TH in {month_text(resumed['month'])}",
            pick(ASIC, "median_usd_per_th", op="first",
                 where=[*best, ("month", ">", empty.max())]),
            fmt=usd, filter=best_words + ", after the gap",
        ),
        "asic_last_month": quote(
            month_text(last["month"]), "the last month with a price for machines under 38 J/TH",
            pick(ASIC, "month", op="last", where=best), fmt=MONTH, filter=best_words,
        ),
        "asic_last_efficient_median": quote(
            with_unit(last["median_usd_per_th"], "USD per TH/s", 2),
            f"the median asking price of machines under 38 J/TH in {month_text(last['month'])}",
            pick(ASIC, "median_usd_per_th", op="last", where=best), fmt=usd, filter=best_words,
        ),
        "asic_listing_count": quote(
            number(asic_prices["listings"].sum()), "the number of dealer listings",
            pick(ASIC, "listings", op="sum"), fmt=COUNT, filter="every month and efficiency class",
        ),
        "asic_listings_before_gap": quote(
            number(per_month[before_gap]),
            f"the number of dealer listings in {month_text(before_gap)}, the month before the gap",
            pick(ASIC, "listings", op="sum", where=[_on(before_gap)]), fmt=COUNT,
            filter=f"every efficiency class, {month_text(before_gap)}",
        ),
        "asic_unclassified_after_gap": quote(
            number(
                asic_prices.loc[
                    (asic_prices["month"] == after_gap)
                    & (asic_prices["efficiency_class"] == "unclassified"),
                    "listings",
                ].sum()
            ),
            f"the dealer listings of {month_text(after_gap)} whose model no specification "
            "matches (left out of every class's median)",
            pick(ASIC, "listings", op="sum",
                 where=[_on(after_gap), _is("efficiency_class", "unclassified")]),
            fmt=COUNT,
        ),
        "asic_listings_after_gap": quote(
            number(per_month[after_gap]),
            f"the number of dealer listings in {month_text(after_gap)}, the month after the gap",
            pick(ASIC, "listings", op="sum", where=[_on(after_gap)]), fmt=COUNT,
            filter=f"every efficiency class, {month_text(after_gap)}",
        ),
    }  # fmt: skip


def index_quote_numbers(asic_price_index_quotes: pd.DataFrame) -> dict[str, str]:
    """The day of the highest quoted Hashrate Index value for the newest machines."""
    best = asic_price_index_quotes[asic_price_index_quotes["efficiency_class"] == "under 38 J/TH"]
    if best.empty:
        raise ValueError("no Hashrate Index quote for machines under 38 J/TH")
    high = best.loc[best["usd_per_th"].idxmax()]
    rows = [_is("efficiency_class", "under 38 J/TH")]
    words = "the quoted index values for machines under 38 J/TH"
    return {
        "index_high_day": quote(
            day_text(high["date"]),
            "the day of the highest quoted Hashrate Index value for machines under 38 J/TH",
            pick(QUOTES, "date", op="argmax", by="usd_per_th", where=rows), fmt=DAY, filter=words,
        ),
        "index_high": quote(
            with_unit(high["usd_per_th"], "USD per TH/s", 2),
            "the highest quoted Hashrate Index value for machines under 38 J/TH",
            pick(QUOTES, "usd_per_th", op="max", where=rows),
            fmt=Format(kind="unit", unit="USD per TH/s", decimals=2), filter=words,
        ),
    }  # fmt: skip


def prices_group(
    price_recovery: pd.DataFrame,
    price_trends: pd.DataFrame,
    difficulty_adjustments: pd.DataFrame,
    asic_prices: pd.DataFrame,
    asic_price_index_quotes: pd.DataFrame,
) -> dict[str, str]:
    """The weekly series' troughs and recoveries, the difficulty drop, asking prices."""
    return merge(
        recovery_numbers(price_recovery, price_trends),
        difficulty_numbers(difficulty_adjustments),
        asking_price_numbers(asic_prices),
        index_quote_numbers(asic_price_index_quotes),
    )
