"""The words around the numbers, checked: every qualitative claim of the report.

A number in the prose is computed; the sentence around it says what the number means
("its lowest month", "more than any other country", "was back at its base-week level").
Each such claim is declared here with the words of ``reports/index.qmd`` it backs and a
check computed from the same tables the numbers come from. The build runs every check
before it renders; a refreshed table that makes a claim false stops the build with one
line naming the sentence, the claim and the value now (``ClaimBroken``), and nothing is
published. Sentences with words of comparison that make no claim about the data (a
quotation, a definition of a method) are listed in ``NOT_CLAIMS`` with the reason;
``tests/data/test_claims_cover_the_report.py`` checks that every sentence of the
report with such a word is one or the other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from mining_report.errors import ClaimBroken, one_line
from mining_report.numbers.claim_checks import (
    asic_fall_after_gap,
    back_at_base_week,
    baseline_before_first_measure,
    bounds_in_order,
    china_back_partly,
    concentration_moved,
    destinations_in_order,
    difficulty_fell_too,
    difficulty_largest_fall,
    first_back,
    gains_mostly_new,
    hashprice_back_before_price,
    index_high_before_first_national,
    inner_mongolia_first,
    kazakhstan_hashrate_fell_less,
    kazakhstan_rose_then_fell,
    largest_share_fell,
    leader_at_zero_above_other,
    luxor_high_above_low,
    machines_by_the_million,
    network_shrank_then_grew,
    payments_came_next,
    press_prices_fell,
    price_off_its_high,
    top_destination_largest,
    top_destination_lost_hashrate,
    us_gain_above_china_loss,
    us_gained_most,
    zero_before_national_ban,
)

#: The kinds of qualitative claim the report makes.
KINDS = ("superlative", "ranking", "direction", "first", "only", "back at")


@dataclass(frozen=True)
class Claim:
    """A qualitative claim: the report's words it backs, and what they claim."""

    name: str
    kind: str
    #: Excerpts of reports/index.qmd (shortcodes as written, spaces as one), one per
    #: sentence that makes the claim.
    sentences: tuple[str, ...]
    says: str
    check: Callable[[Mapping[str, pd.DataFrame], Mapping[str, str]], tuple[bool, str]]


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    holds: bool
    now: str


def _claim(name: str, kind: str, says: str, check: Callable, *sentences: str) -> Claim:
    return Claim(name, kind, sentences, says, check)


#: Every qualitative claim of the report, in its order.
CLAIMS: tuple[Claim, ...] = (
    _claim("zero_before_national_ban", "direction",
           "CCAF's first month with none of China's hashrate came before the national ban",
           zero_before_national_ban,
           "before the national ban of {{<var stop_order_full_day >}}, CCAF attributed none of it"),
    _claim("largest_share_at_zero", "superlative",
           "in the first month at zero, the country named held a larger share than any other "
           "country and than CCAF's Other", leader_at_zero_above_other,
           "the largest share that month, {{<var leader_share_at_china_zero >}}"),
    _claim("china_partial_return", "direction",
           "after its months at zero, China's share came back, to less than at the baseline",
           china_back_partly, "CCAF again placed", "A fast exit, and a partial return.",
           "reappeared at {{<var china_share_return >}}"),
    _claim("network_shrank_then_grew", "direction",
           "the hashrate CCAF attributes to countries fell below its baseline level and ended "
           "above it", network_shrank_then_grew,
           "The network shrank, then grew past its old size.",
           "fell by {{<var global_ehs_fall_pct >}} from"),
    _claim("hashrate_back_at_base", "back at",
           "the network's weekly hashrate fell below its base-week level and came back to it",
           back_at_base_week("hashrate_ehs_7d"),
           "was back at that level in the week of {{<var hashrate_recovered_by >}}"),
    _claim("us_gained_most", "superlative",
           "the United States, whose EH/s the sentence quotes, gained more share than any "
           "other country CCAF names", us_gained_most,
           "gained most, and not only from China", "more than any other country CCAF names"),
    _claim("us_gain_above_china_loss", "only",
           "the United States gained more EH/s than China lost", us_gain_above_china_loss,
           "much of the gain was new machines, not China's moving",
           "the United States alone gained more than China lost"),
    _claim("gains_mostly_new", "ranking",
           "the hashrate gained outside China exceeds all the hashrate lost anywhere by at "
           "least a third of the gain, which therefore cannot have moved", gains_mostly_new,
           "Much of the hashrate that appeared elsewhere was new rather than moved."),
    _claim("largest_share_fell", "direction",
           "the largest single country share is smaller in the latest month than before",
           largest_share_fell, "The largest single share fell"),
    _claim("concentration_moved", "direction",
           "the largest country changed and the three largest still hold more than half",
           concentration_moved, "Concentration moved; it did not end.",
           "Concentration moved rather than ended."),
    _claim("machines_by_the_million", "superlative",
           "the survey's count of machines moved out of China is a million or more",
           machines_by_the_million, "Machines left by the million."),
    _claim("top_destination_largest", "superlative",
           "the destination named has a larger machine count than any other destination",
           top_destination_largest, "Its largest tracked destination was",
           "the largest destination by machines counted"),
    _claim("destinations_in_order", "ranking",
           "the three destinations with counts are quoted from the largest count down",
           destinations_in_order,
           "took at least {{<var top_destination_machines >}}, {{<var second_destination >}}"),
    _claim("top_destination_lost_hashrate", "direction",
           "the largest destination by machines had less hashrate in the latest month than "
           "before", top_destination_lost_hashrate,
           "'s hashrate was lower in {{<var migration_latest_month >}}",
           "had less hashrate in {{<var migration_latest_month >}}"),
    _claim("kazakhstan_rose_then_fell", "direction",
           "Kazakhstan's share rose from the baseline to its peak and then fell",
           kazakhstan_rose_then_fell, "Kazakhstan's share rose from"),
    _claim("kazakhstan_hashrate_fell_less", "ranking",
           "from Kazakhstan's peak month, its hashrate fell by less than its share, while the "
           "total rose", kazakhstan_hashrate_fell_less, "its own hashrate fell less"),
    _claim("difficulty_largest_fall", "superlative",
           "the adjustment named cut the difficulty by more than any other",
           difficulty_largest_fall, "the largest fall among the"),
    _claim("difficulty_followed", "direction",
           "the difficulty fell below its base-week level too", difficulty_fell_too,
           "The protocol's difficulty followed"),
    _claim("price_off_its_high", "direction",
           "the price stood higher in a week before the base week than in the base week",
           price_off_its_high, "The price had already come off its high"),
    _claim("price_back_at_base", "back at",
           "the price fell below its base-week level and came back to it",
           back_at_base_week("btc_close_usd"),
           "was back at its base-week level in the week of {{<var btc_recovered_by >}}"),
    _claim("hashprice_back_at_base", "back at",
           "hashprice fell below its base-week level and came back to it",
           back_at_base_week("hashprice_usd_per_th_day"),
           "was back in the week of {{<var hashprice_recovered_by >}}"),
    _claim("hashprice_back_before_price", "ranking",
           "hashprice was back at its base-week level sooner than the price",
           hashprice_back_before_price, "those still running earned more per unit of work"),
    _claim("first_back", "first",
           "the series named was back at its base-week level sooner than any other",
           first_back, "was the first back at its base-week level"),
    _claim("index_high_before_national", "first",
           "the highest index value quoted is dated before the first national measure",
           index_high_before_first_national, "before the first national measure"),
    _claim("asking_prices_fell_after_gap", "direction",
           "the efficient machines' median asking price was lower in the last month than in "
           "the first month after the gap", asic_fall_after_gap,
           "the fall this series shows came after the gap"),
    _claim("inner_mongolia_first", "first",
           "the earliest dated measure is Inner Mongolia's", inner_mongolia_first,
           "Inner Mongolia moved first"),
    _claim("press_prices_fell", "direction",
           "the second-hand price quoted for June is below the one quoted for April",
           press_prices_fell, "Machine prices fell, by the press's accounts.",
           "mining machines lost much of their value"),
    _claim("luxor_high_above_low", "direction",
           "the index's summer high quoted is above its summer low", luxor_high_above_low,
           "fell from what Luxor's report calls its \"summer high\""),
    _claim("baseline_before_first_measure", "first",
           "the baseline month ends before the first dated measure, which falls in the next "
           "month", baseline_before_first_measure,
           "the last full month before the first measure",
           "The next month already contains that draft."),
    _claim("bounds_in_order", "ranking",
           "on every day, the share at least under an order is at most the share at most "
           "under one", bounds_in_order,
           "reached at least {{<var stop_order_certain_share >}}",
           "at least {{<var stop_order_certain_share >}} of China's",
           "the same measures reached at least {{<var wet_stop_order_certain_share >}}"),
    _claim("payments_came_next", "ranking",
           "the associations' notice came after Inner Mongolia's and before the first "
           "provincial order elsewhere", payments_came_next,
           "The payments and trading side came next"),
)  # fmt: skip

#: Sentences with a word of comparison that claim nothing about the data, and why.
#: Why a sentence with a word of comparison claims nothing to check.
DEFINED = "the number is what the words say (a peak is the maximum, a count counts what it names)"
QUOTED = "the source's own words or figures, quoted and attributed"
METHOD = "describes the method of this brief, not the data"
BOUND = "a bound, stated as a bound"
SOURCES = "describes the sources found, not the data"
NOT_CLAIMS: dict[str, str] = {
    "This brief traces the measures": METHOD,
    "The three largest countries CCAF names held": DEFINED,
    "the three largest countries CCAF names, {{<var top_three_before >}}": DEFINED,
    "counted more than {{<var ft_machines_moved >}} machines": BOUND,
    "moved more than {{<var ft_machines_moved >}} machines": BOUND,
    "reached less than a whole province": DEFINED,
    "its next phase would target": QUOTED,
    "reported as a shutdown order for all mining there": QUOTED,
    "so that order reached at most that share": BOUND,
    "had at first been lenient": QUOTED,
    "That is a lower bound": METHOD,
    "CCAF read the return as the work of miners": QUOTED,
    "where they most likely were shares of the world's": "a judgement argued in the ledger",
    "the peaks quoted here are of the months up to": METHOD,
    "its share of China's hashrate peaked at {{<var sichuan_peak_share >}}": DEFINED,
    "Xinjiang's share peaked at {{<var xinjiang_peak_share >}}": DEFINED,
    "Russia's share peaked at {{<var ru_peak_share >}}": DEFINED,
    "Xinjiang alone held": "'alone' means by itself; the share is computed",
    "except Kazakhstan's, \"where fossil fuels": QUOTED,
    "known here only through the outlets that relayed it": SOURCES,
    "One relay alone gives the number of machines": SOURCES,
    "no more precise than that": BOUND,
    "A machine counted as shipped is not a machine switched on": METHOD,
    "were said not to be back online": QUOTED,
    "does not separate the part of the price fall": METHOD,
    "Antminer S19 fell by {{<var s19_price_fall >}}": QUOTED,
    "The only monthly series of machine prices in this brief": "about the brief's own tables",
    "the most efficient machines were offered": DEFINED,
    "The first month after the gap with a median for them": DEFINED,
    "Every number, date and period in the text": METHOD,
    "Where the text compares other months": METHOD,
    "Only a national or province-wide measure counts": METHOD,
    "Provinces are weighted by their share": METHOD,
    "Weeks with fewer than seven days of data are dropped": METHOD,
    "one day can stand well above or below its week": METHOD,
    "A series has recovered in the first week": METHOD,
    "A month's median is of that month's listings only": METHOD,
    "Counts are quoted as their sources give them": METHOD,
    "Where sources disagree, both claims are kept": METHOD,
    "for non-commercial research only": METHOD,
    "from published figures only": METHOD,
    "the latest day on which a source of its raw tables was accessed": DEFINED,
    "whose earliest dated report found is of": SOURCES,
    "gives the upper bound": BOUND,
}


#: Words that compare, rank or tell a direction: a sentence with one claims something,
#: or is listed in NOT_CLAIMS.
COMPARING = re.compile(
    r"\b(lowest|highest|largest|smallest|least|most|more than|less than|fewer than|less "
    r"hashrate|lower|higher|fell|fall|rose|rise|grew|shrank|returned|return|back|first|"
    r"only|alone|peak(?:ed|s)?|top|again|above|below|gained|gain|lost|next|never|ahead|"
    r"earliest|newest|oldest|million)\b",
    re.IGNORECASE,
)


def report_sentences(qmd: str, captions: bool = False) -> list[str]:
    """The prose of the report, sentence by sentence (the abstract included; headings,
    the front matter's other fields and, unless ``captions``, figure and table blocks
    left out)."""
    front, _, body = qmd.partition("\n---\n") if qmd.startswith("---") else ("", "", qmd)
    abstract = re.search(r"(?ms)^abstract: \|\n(.*?)(?=^\S|\Z)", front)
    text = (abstract[1] if abstract else "") + "\n" + body
    text = (
        re.sub(r"(?m)^:::.*$", " ", text)
        if captions
        else re.sub(r"(?ms)^:::.*?^:::\s*$", " ", text)
    )
    text = re.sub(r"(?m)^#+ .*$|^- ", " ", text)
    text = shortcodes(text).replace("**", "")
    return [s for s in re.split(r"(?<=[.!?:])\s+(?=[A-Z{(@])", text) if s.strip()]


def unbacked(qmd: str) -> list[str]:
    """The sentences with a word of comparison that no claim backs and NOT_CLAIMS does
    not excuse."""
    backing = [shortcodes(s) for c in CLAIMS for s in c.sentences] + list(NOT_CLAIMS)
    return [
        s for s in report_sentences(qmd)
        if COMPARING.search(s) and not any(b in s for b in backing)
    ]  # fmt: skip


#: A number's shortcode as ``shortcodes`` writes it; group 1 is the number's name.
VAR = re.compile(r"\{\{<var ([\w.]+) >\}\}")


def shortcodes(text: str) -> str:
    """``text`` with its spaces and shortcodes written one way: ``{{<var name >}}``."""
    text = re.sub(r"\{\{<\s*var\s+([\w.]+)\s*>\}\}", r"{{<var \1 >}}", text)
    return re.sub(r"\s+", " ", text)


def check_claims(tables: Mapping[str, pd.DataFrame], options: Mapping[str, str]) -> list[Verdict]:
    """Every claim's verdict on ``tables``; a check that cannot be computed is false."""
    verdicts = []
    for claim in CLAIMS:
        try:
            holds, now = claim.check(tables, options)
        except (KeyError, IndexError, ValueError, TypeError) as err:
            holds, now = False, f"cannot be computed ({type(err).__name__}: {err})"
        verdicts.append(Verdict(claim, bool(holds), now))
    return verdicts


def as_read(sentence: str, variables: Mapping[str, str]) -> str:
    """A sentence of the report as a reader reads it: each shortcode replaced by its
    value, citations dropped."""
    text = VAR.sub(lambda m: str(variables.get(m[1], m[0])), shortcodes(sentence))
    return re.sub(r"\s*\[@[^\]]*\]", "", text).strip()


def whole_sentence(excerpt: str, qmd: str | None) -> str:
    """The sentence of the report an excerpt is from (the excerpt itself without one)."""
    wanted = shortcodes(excerpt)
    for sentence in report_sentences(qmd, captions=True) if qmd else []:
        if wanted in sentence:
            return sentence
    return excerpt


def refuse_broken(
    verdicts: list[Verdict], variables: Mapping[str, str], qmd: str | None = None
) -> None:
    """Raise ClaimBroken, one line naming the sentence as a reader reads it, if any
    claim no longer holds."""
    broken = [v for v in verdicts if not v.holds]
    if not broken:
        return
    first = broken[0]
    sentence = as_read(whole_sentence(first.claim.sentences[0], qmd), variables)
    more = f" (and {len(broken) - 1} more: {', '.join(v.claim.name for v in broken[1:])})"
    raise ClaimBroken(
        f'the report\'s sentence "{one_line(sentence, 300)}" no longer holds: it claims '
        f"{first.claim.says} ({first.claim.name}); now {first.now}"
        + (more if len(broken) > 1 else "")
    )


def to_records(verdicts: list[Verdict]) -> list[dict[str, object]]:
    return [
        {
            "claim": v.claim.name,
            "kind": v.claim.kind,
            "says": v.claim.says,
            "sentences": list(v.claim.sentences),
            "holds": v.holds,
            "now": v.now,
        }
        for v in verdicts
    ]
