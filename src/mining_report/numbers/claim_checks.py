"""The checks behind the report's qualitative claims, computed from the cleaned tables.

Each check takes the tables (by name) and the options (the baseline month) and returns
whether its claim holds and the values it compared, in words; ``numbers.claims``
pairs each with the sentences of the report it backs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import pandas as pd

from mining_report.formatting import day_text, month_text, number, percent
from mining_report.numbers.prices import TREND_NAMES
from mining_report.vocabularies import FT_HEADLINE_FIGURE

#: The class of the most efficient machines, which the report quotes.
EFFICIENT = "under 38 J/TH"

# --------------------------------------------------------------------------------------
# Views of the tables the checks share
# --------------------------------------------------------------------------------------


def _country(t: Mapping[str, pd.DataFrame], country: str, column: str = "share_pct") -> pd.Series:
    table = t["hashrate_by_country"]
    rows = table[table["country"] == country]
    return rows.set_index("month")[column].sort_index()


def _totals(t: Mapping[str, pd.DataFrame]) -> pd.Series:
    """The hashrate CCAF attributes to countries (Other included), by month."""
    return t["hashrate_by_country"].groupby("month")["hashrate_ehs"].sum().sort_index()


def _moment(t: Mapping[str, pd.DataFrame], period: str) -> pd.DataFrame:
    table = t["hashrate_migration"]
    return table[table["period"] == period].set_index("country")


def _named(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame.index != "Other"]


def _recovery(t: Mapping[str, pd.DataFrame], series: str) -> pd.Series:
    return t["price_recovery"].set_index("series").loc[series]


def _zero_months(t: Mapping[str, pd.DataFrame], o: Mapping[str, str]) -> pd.Index:
    china = _country(t, "China")
    return china[(china.index > pd.Timestamp(o["baseline_month"])) & (china == 0)].index


def _full_ban_day(t: Mapping[str, pd.DataFrame]) -> pd.Timestamp | None:
    exposure = t["shutdown_exposure"]
    dry = exposure[exposure["weights"] == "baseline"]
    full = dry.loc[dry["certain_share_of_china_pct"] >= 100, "date"]
    return None if full.empty else pd.Timestamp(full.min())


def _destinations(t: Mapping[str, pd.DataFrame]) -> pd.Series:
    """The destinations with a count, in the survey's order (its rank), as the report
    names them (first, second, third)."""
    table = t["machine_exports_by_destination"].dropna(subset=["machines"])
    return table.sort_values("rank").set_index("destination_country")["machines"]


def _press_figures(t: Mapping[str, pd.DataFrame]) -> pd.Series:
    """The press's figures as numbers, by figure id."""
    return pd.to_numeric(t["machine_flows"].set_index("figure_id")["value"], errors="coerce")


def _dated(t: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The measures with a day of announcement (``day``), earliest first."""
    events = t["shutdowns"].dropna(subset=["date_announced"])
    return events.assign(day=pd.to_datetime(events["date_announced"])).sort_values("day")


def _first_national(t: Mapping[str, pd.DataFrame]) -> pd.Timestamp:
    events = _dated(t)
    return events.loc[events["scope"] == "national", "day"].min()


def _strictly_first(values: pd.Series, decimals: int = 0) -> tuple[bool, str]:
    """Whether the first of ``values`` (sorted, descending) is above all the others."""
    if len(values) < 2:
        return len(values) == 1, "only one value" if len(values) else "no values"
    first, second = (f"{values.index[i]} {number(values.iloc[i], decimals)}" for i in (0, 1))
    return bool(values.iloc[0] > values.iloc[1]), f"{first}, next {second}"


# --------------------------------------------------------------------------------------
# The checks, by section of the report
# --------------------------------------------------------------------------------------


def zero_before_national_ban(t, o) -> tuple[bool, str]:
    zeros, ban = _zero_months(t, o), _full_ban_day(t)
    if zeros.empty or ban is None:
        return False, "no month at zero" if zeros.empty else "no national ban"
    ends = zeros[0] + pd.offsets.MonthBegin(1)  # the whole month before the ban day
    return bool(ends <= ban), f"first month at zero {month_text(zeros[0])}, ban {day_text(ban)}"


def leader_at_zero_above_other(t, o) -> tuple[bool, str]:
    zeros = _zero_months(t, o)
    if zeros.empty:
        return False, "no month at zero"
    month = t["hashrate_by_country"]
    shares = month[month["month"] == zeros[0]].set_index("country")["share_pct"]
    ranked = shares.drop("China", errors="ignore").sort_values(ascending=False)
    holds = ranked.index[0] != "Other" and ranked.iloc[0] > ranked.iloc[1]
    first, second = (f"{ranked.index[i]} {percent(ranked.iloc[i])}" for i in (0, 1))
    return bool(holds), f"{first}, next {second}"


def china_back_partly(t, o) -> tuple[bool, str]:
    china = _country(t, "China")
    last, before = china.iloc[-1], china.loc[pd.Timestamp(o["baseline_month"])]
    zeros = _zero_months(t, o)
    holds = not zeros.empty and 0 < last < before
    return bool(holds), f"China {percent(last)} in {month_text(china.index[-1])}, " \
        f"{percent(before)} at the baseline"  # fmt: skip


def network_shrank_then_grew(t, o) -> tuple[bool, str]:
    totals = _totals(t)
    base = totals.loc[pd.Timestamp(o["baseline_month"])]
    after = totals[totals.index > pd.Timestamp(o["baseline_month"])]
    low, last = after.min(), totals.iloc[-1]
    return bool(low < base < last), f"{number(base, 2)} EH/s at the baseline, lowest " \
        f"{number(low, 2)}, latest {number(last, 2)}"  # fmt: skip


def back_at_base_week(series: str) -> Callable:
    def back_at_base(t, o) -> tuple[bool, str]:
        row = _recovery(t, series)
        fell = pd.notna(row["trough_value"]) and row["trough_value"] < row["base_value"]
        back = pd.notna(row["recovered_by"])
        when = day_text(row["recovered_by"]) if back else "not yet back"
        return bool(fell and back), f"trough {number(row['trough_value'], 2)} against " \
            f"{number(row['base_value'], 2)}; {when}"  # fmt: skip

    return back_at_base


def us_gained_most(t, o) -> tuple[bool, str]:
    """The sentence pairs the largest gainer with the United States' own EH/s."""
    gains = _named(_moment(t, "latest"))["share_change_pts"].sort_values(ascending=False)
    first, why = _strictly_first(gains, 2)
    return first and gains.index[0] == "United States" and gains.iloc[0] > 0, why


def us_gain_above_china_loss(t, o) -> tuple[bool, str]:
    latest = _moment(t, "latest")
    gained, lost = (
        latest.loc["United States", "hashrate_change_ehs"],
        -latest.loc["China", "hashrate_change_ehs"],
    )
    return bool(gained > lost > 0), f"United States +{number(gained, 2)} EH/s, China " \
        f"-{number(lost, 2)} EH/s"  # fmt: skip


def largest_share_fell(t, o) -> tuple[bool, str]:
    before = _named(_moment(t, "before"))["share_pct"].max()
    latest = _named(_moment(t, "latest"))["share_pct"].max()
    return bool(latest < before), f"{percent(before)} before, {percent(latest)} latest"


def top_destination_largest(t, o) -> tuple[bool, str]:
    counts = _destinations(t)
    first, rest = counts.iloc[0], counts.iloc[1:]
    biggest = f"largest other {rest.idxmax()} {number(rest.max())}" if len(rest) else "no other"
    return bool(rest.empty or first > rest.max()), f"{counts.index[0]} {number(first)}, {biggest}"


def destinations_in_order(t, o) -> tuple[bool, str]:
    top = _destinations(t).head(3)
    holds = len(top) == 3 and top.iloc[0] > top.iloc[1] > top.iloc[2]
    return bool(holds), ", ".join(f"{c} {number(v)}" for c, v in top.items())


def top_destination_lost_hashrate(t, o) -> tuple[bool, str]:
    country = _destinations(t).index[0]
    before = _moment(t, "before").loc[country, "hashrate_ehs"]
    latest = _moment(t, "latest").loc[country, "hashrate_ehs"]
    return bool(latest < before), f"{country} {number(before, 2)} → {number(latest, 2)} EH/s"


def kazakhstan_rose_then_fell(t, o) -> tuple[bool, str]:
    share = _country(t, "Kazakhstan")
    before = share.loc[pd.Timestamp(o["baseline_month"])]
    top, last = share.max(), share.iloc[-1]
    return bool(before < top > last), f"{percent(before)} → peak {percent(top)} → {percent(last)}"


def kazakhstan_hashrate_fell_less(t, o) -> tuple[bool, str]:
    share, ehs = _country(t, "Kazakhstan"), _country(t, "Kazakhstan", "hashrate_ehs")
    peak = share.idxmax()
    share_fall = 1 - share.iloc[-1] / share.loc[peak]
    ehs_fall = 1 - ehs.iloc[-1] / ehs.loc[peak]
    totals = _totals(t)
    # Share = own hashrate / total: in logs, the fall of the share is the fall of its own
    # hashrate plus the growth of the total; "most" is the larger part.
    growth = math.log(totals.iloc[-1] / totals.loc[peak])
    holds = 0 < ehs_fall < share_fall and growth > -math.log(1 - ehs_fall) > 0
    return bool(holds), f"share -{percent(share_fall * 100, 1)}, hashrate " \
        f"-{percent(ehs_fall * 100, 1)}, total {number(totals.loc[peak], 2)} → " \
        f"{number(totals.iloc[-1], 2)} EH/s"  # fmt: skip


def difficulty_largest_fall(t, o) -> tuple[bool, str]:
    falls = -t["difficulty_adjustments"].set_index("date")["change_pct"].sort_values()
    first, _ = _strictly_first(falls)
    holds = first and falls.iloc[0] > 0
    return bool(
        holds
    ), f"largest fall {percent(falls.iloc[0], 1)}, next {percent(falls.iloc[1], 1)}"


def price_off_its_high(t, o) -> tuple[bool, str]:
    row = _recovery(t, "btc_close_usd")
    before = pd.Timestamp(row["pre_ban_peak_week_start"]) < pd.Timestamp(row["base_week_start"])
    return bool(before and row["pre_ban_peak"] > row["base_value"]), (
        f"high {number(row['pre_ban_peak'], 2)} in the week of "
        f"{day_text(row['pre_ban_peak_week_start'])}, base week {number(row['base_value'], 2)}"
    )


def hashprice_back_before_price(t, o) -> tuple[bool, str]:
    hashprice, price = _recovery(t, "hashprice_usd_per_th_day"), _recovery(t, "btc_close_usd")
    weeks = hashprice["weeks_to_baseline"], price["weeks_to_baseline"]
    holds = pd.notna(weeks[0]) and (pd.isna(weeks[1]) or weeks[0] < weeks[1])
    return bool(holds), f"hashprice {weeks[0]} weeks, price {weeks[1]} weeks"


def first_back(t, o) -> tuple[bool, str]:
    table = t["price_recovery"].set_index("series")
    back = table.loc[table["trough_value"].notna() & table["recovered_by"].notna()]
    weeks = back["weeks_to_baseline"].astype(int).sort_values()
    if len(weeks) < 2:
        return False, f"{len(weeks)} series back at their base-week level"
    first, second = (f"{TREND_NAMES.get(s, s)} {weeks[s]} weeks" for s in weeks.index[:2])
    return bool(weeks.iloc[0] < weeks.iloc[1]), f"{first}, next {second}"


def difficulty_fell_too(t, o) -> tuple[bool, str]:
    row = _recovery(t, "difficulty")
    return bool(row["trough_value"] < row["base_value"]), f"trough {number(row['trough_value'])}"


def index_high_before_first_national(t, o) -> tuple[bool, str]:
    quotes = t["asic_price_index_quotes"]
    best = quotes[quotes["efficiency_class"] == EFFICIENT]
    high = pd.Timestamp(best.loc[best["usd_per_th"].idxmax(), "date"])
    national = _first_national(t)
    return bool(high < national), f"high {day_text(high)}, first national {day_text(national)}"


def asic_fall_after_gap(t, o) -> tuple[bool, str]:
    """For the most efficient machines (the class the sentence quotes): the first
    median after the gap is not below the first of the series, the last is below it."""
    prices = t["asic_prices"]
    efficient = prices[prices["efficiency_class"] == EFFICIENT]
    listed = efficient.dropna(subset=["median_usd_per_th"]).set_index("month").sort_index()
    empty = prices.groupby("month")["listings"].sum()
    gap_end = empty[empty == 0].index.max()
    medians = listed["median_usd_per_th"]
    after = medians[medians.index > gap_end]
    if after.empty or medians.empty:
        return False, "no median after the gap"
    holds = medians.iloc[0] <= after.iloc[0] and after.iloc[-1] < after.iloc[0]
    return bool(holds), f"{number(medians.iloc[0], 2)} in {month_text(medians.index[0])}, " \
        f"{number(after.iloc[0], 2)} after the gap, {number(after.iloc[-1], 2)} in " \
        f"{month_text(after.index[-1])}"  # fmt: skip


def inner_mongolia_first(t, o) -> tuple[bool, str]:
    events = _dated(t)
    first = events.iloc[0]
    others = events[events["jurisdiction"] != first["jurisdiction"]]
    holds = first["jurisdiction"] == "Inner Mongolia" and first["day"] < others["day"].min()
    return bool(holds), f"first: {first['jurisdiction']} on {day_text(first['day'])}"


def press_prices_fell(t, o) -> tuple[bool, str]:
    figures = _press_figures(t)
    june, april = figures.loc["M32"], figures.loc["M33"]
    return bool(june < april), f"June {number(june)}, April {number(april)} CNY per TH/s"


def _announced(t: Mapping[str, pd.DataFrame]) -> pd.Series:
    return _dated(t).set_index("event_id")["day"]


def baseline_before_first_measure(t, o) -> tuple[bool, str]:
    first = _announced(t).iloc[0]
    start = pd.Timestamp(o["baseline_month"])
    end = start + pd.offsets.MonthBegin(1)
    holds = end <= first < end + pd.offsets.MonthBegin(1)
    return bool(holds), f"baseline {month_text(start)}, first measure {day_text(first)}"


def bounds_in_order(t, o) -> tuple[bool, str]:
    exposure = t["shutdown_exposure"]
    over = exposure[exposure["certain_share_of_china_pct"] > exposure["at_most_share_of_china_pct"]]
    if over.empty:
        return True, "every lower bound at or below its upper bound"
    row = over.iloc[0]
    least, most = row["certain_share_of_china_pct"], row["at_most_share_of_china_pct"]
    return False, f"{day_text(row['date'])}: at least {percent(least)} but at most {percent(most)}"


def payments_came_next(t, o) -> tuple[bool, str]:
    """The associations' notice (the first national measure) came after Inner
    Mongolia's, and every measure announced before it was Inner Mongolia's."""
    events, national = _dated(t), _first_national(t)
    before = events[events["day"] < national]
    others = sorted(set(before["jurisdiction"]) - {"Inner Mongolia"})
    holds = not before.empty and not others
    return bool(holds), f"first national measure {day_text(national)}; before it: " \
        f"{', '.join(sorted(set(before['jurisdiction']))) or 'none'}"  # fmt: skip


def luxor_high_above_low(t, o) -> tuple[bool, str]:
    figures = _press_figures(t)
    high, low = figures.loc["M36"], figures.loc["M37"]
    return bool(high > low), f"high {number(high, 2)}, low {number(low, 2)} USD per TH/s"


def concentration_moved(t, o) -> tuple[bool, str]:
    """The largest country changed, and the three largest still held most of it."""
    before, latest = _named(_moment(t, "before")), _named(_moment(t, "latest"))
    top_before, top_latest = before["share_pct"].idxmax(), latest["share_pct"].idxmax()
    three = latest["share_pct"].nlargest(3).sum()
    holds = top_before != top_latest and three > 50
    return bool(holds), f"largest {top_before} then {top_latest}; three largest now " \
        f"{percent(three)}"  # fmt: skip


def gains_mostly_new(t, o) -> tuple[bool, str]:
    """The hashrate gained outside China exceeds all that was lost, by at least a third
    of the gain: that much cannot have moved from anywhere."""
    changes = _named(_moment(t, "latest"))["hashrate_change_ehs"]
    gained = changes[(changes > 0) & (changes.index != "China")].sum()
    lost = -changes[changes < 0].sum()
    holds = gained > 0 and (gained - lost) >= gained / 3
    return bool(holds), f"gained outside China {number(gained, 2)} EH/s, lost everywhere " \
        f"{number(lost, 2)} EH/s"  # fmt: skip


def machines_by_the_million(t, o) -> tuple[bool, str]:
    """The survey's count of machines moved out of China is in the millions."""
    exports = t["machine_exports"].set_index("figure_id")["machines"]
    moved = exports.loc[FT_HEADLINE_FIGURE]
    return bool(moved >= 1_000_000), f"{number(moved)} machines"
