"""A corpus of malformed raw inputs, each with the words its rejection must contain.

Each case copies one committed raw snapshot, breaks it in one way, and (unless the
case is about the sidecar itself) re-signs the sidecar with the broken file's
sha256, so that the schema, not the checksum, has to catch the fault.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mining_report.raw.provenance import sidecar_path

from conftest import resign

ROOT = Path(__file__).resolve().parents[1]

RAW = {
    "cbeci_countries": "data/raw/ccaf/cbeci_countries.csv",
    "cbeci_provinces": "data/raw/ccaf/cbeci_provinces.csv",
    "events": "data/raw/press/events.csv",
    "machine_flows": "data/raw/press/machine_flows.csv",
    "machine_flow_entities": "data/raw/press/machine_flow_entities.csv",
    "published_figures": "data/raw/press/published_figures.csv",
    "conflicting_figures": "data/raw/press/conflicting_figures.csv",
    "source_statements": "data/raw/press/source_statements.csv",
    "press_articles": "data/raw/press/press_articles.csv",
    "coinmetrics_btc_daily": "data/raw/coinmetrics/coinmetrics_btc_daily.csv",
    "asic_models": "data/raw/hardware/asic_models.csv",
    "asic_listings": "data/raw/hardware/asic_listings.csv",
}


def replace(old: str, new: str) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        assert old.encode() in data, f"corpus case out of date: {old!r} not in the file"
        return data.replace(old.encode(), new.encode(), 1)

    return mutate


def drop_line(prefix: str) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        lines = data.split(b"\n")
        kept = [line for line in lines if not line.startswith(prefix.encode())]
        assert len(kept) == len(lines) - 1, f"corpus case out of date: {prefix!r}"
        return b"\n".join(kept)

    return mutate


def edit_header(old: str, new: str) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        header, rest = data.split(b"\n", 1)
        assert old.encode() in header
        return header.replace(old.encode(), new.encode()) + b"\n" + rest

    return mutate


def append_column(name: str) -> Callable[[bytes], bytes]:
    def mutate(data: bytes) -> bytes:
        lines = data.rstrip(b"\n").split(b"\n")
        out = [lines[0] + b"," + name.encode()] + [line + b",x" for line in lines[1:]]
        return b"\n".join(out) + b"\n"

    return mutate


def header_only(data: bytes) -> bytes:
    return data.split(b"\n", 1)[0] + b"\n"


def truncate_last_line(data: bytes) -> bytes:
    body = data.rstrip(b"\n")
    return body[: body.rfind(b",")]  # the last field and the newline are gone


def duplicate_second_row(data: bytes) -> bytes:
    lines = data.rstrip(b"\n").split(b"\n")
    return b"\n".join([*lines[:2], lines[1], *lines[2:]]) + b"\n"


@dataclass(frozen=True)
class Case:
    """One malformed input: which table, how it is broken, what the message must say."""

    name: str
    table: str
    mutate: Callable[[bytes], bytes]
    expect: tuple[str, ...]
    resign: bool = True
    failure_value: str | None = None
    tags: tuple[str, ...] = field(default=())
    #: Rewrites the sidecar's YAML text after re-signing, for sidecar cases.
    edit_sidecar: Callable[[str], str] | None = None

    @property
    def raw(self) -> str:
        return RAW[self.table]


CASES: list[Case] = [
    Case("missing_column", "cbeci_countries", edit_header(",abs_hashrate_ehs", ""),
         ("line 2: 4 field(s) where the header has 3",)),
    Case("dropped_column_everywhere", "coinmetrics_btc_daily",
         lambda d: b"\n".join(b",".join(line.split(b",")[:-1]) for line in d.split(b"\n")),
         ("column 'PriceUSD'", "column_in_dataframe")),
    Case("extra_column", "cbeci_countries", append_column("comment"),
         ("column 'comment'", "column_in_schema")),
    Case("wrong_type", "cbeci_countries",
         replace("2019-09-01,Other,6.10,", "2019-09-01,Other,six,"),
         ("column 'share_pct'", "coerce_dtype", "'six'", "line(s) 3"), failure_value="six"),
    Case("not_a_number_word", "coinmetrics_btc_daily",
         replace("2020-01-02,141,", "2020-01-02,NA,"),
         ("column 'BlkCnt'", "coerce_dtype", "'NA'", "line(s) 3")),
    Case("empty_file", "cbeci_countries", lambda d: b"", ("the file is empty",)),
    Case("whitespace_only", "events", lambda d: b"\n \n", ("the file is empty",)),
    Case("header_only", "cbeci_provinces", header_only, ("header only, no data rows",)),
    Case("byte_order_mark", "cbeci_countries", lambda d: b"\xef\xbb\xbf" + d,
         ("line 1", "byte-order mark",)),
    Case("not_utf8", "events", lambda d: d.replace(b"Shut Down", b"Sh\xfft Down", 1),
         ("line 2", "bytes that are not UTF-8", "0xff")),
    Case("duplicate_key", "cbeci_countries", duplicate_second_row,
         ("column 'date+country'", "unique_key", "line(s) 2, 3")),
    Case("duplicate_id", "events", replace("E02,2021-03-09", "E01,2021-03-09"),
         ("column 'event_id'", "field_uniqueness", "'E01'")),
    Case("share_above_100", "cbeci_countries",
         replace("2021-04-01,Mainland China,46.04", "2021-04-01,Mainland China,146.04"),
         ("column 'share_pct'", "less_than_or_equal_to(100)"), failure_value="146.04"),
    Case("negative_price", "coinmetrics_btc_daily",
         replace(",7315.3093603156", ",-7315.3093603156"),
         ("column 'PriceUSD'", "greater_than_or_equal_to(1000)", "line(s) 4")),
    Case("zero_hashrate", "coinmetrics_btc_daily", replace(",112929774.50430365,", ",0,"),
         ("column 'HashRate_THs'", "greater_than_or_equal_to(20000000", "line(s) 2")),
    Case("month_sums_to_103", "cbeci_countries",
         replace("2019-09-01,Other,6.10,", "2019-09-01,Other,9.10,"),
         ("column 'share_pct'", "monthly_shares_sum_to_100", "line(s) 2, 3, 4")),
    Case("province_month_sums_wrong", "cbeci_provinces",
         replace("2019-09-01,Sichuan,49.52", "2019-09-01,Sichuan,59.52"),
         ("column 'share_of_china_pct'", "monthly_shares_sum_to_100_or_documented_gap")),
    Case("undocumented_province_gap", "cbeci_provinces", drop_line("2020-07-01,Gansu,"),
         ("column 'province'", "every_province_every_month_or_documented_gap")),
    Case("date_outside_window", "events", replace("E01,2021-02-25", "E01,2024-02-25"),
         ("column 'date_announced'", "less_than_or_equal_to(2022-12-31")),
    Case("date_before_window", "coinmetrics_btc_daily",
         replace("2020-01-01,174,", "2019-12-31,174,"),
         ("column 'date'", "greater_than_or_equal_to(2020-01-01")),
    Case("ambiguous_date_format", "cbeci_countries",
         lambda d: d.replace(b"2019-10-01,", b"10/01/2019,"),
         ("column 'date'", "iso_date(YYYY-MM-DD)", "'10/01/2019'")),
    Case("impossible_date", "events", replace("E03,2021-05-18", "E03,2021-02-30"),
         ("column 'date_announced'", "coerce_dtype", "2021-02-30")),
    Case("not_first_of_month", "cbeci_countries",
         lambda d: d.replace(b"2019-09-01,", b"2019-09-15,"),
         ("column 'date'", "first_day_of_month")),
    Case("effective_before_announced", "events",
         replace("E01,2021-02-25,2021-04-30", "E01,2021-02-25,2021-01-30"),
         ("column 'date_effective'", "effective_on_or_after_announced", "line(s) 2")),
    Case("unknown_measure", "events", replace(",Inner Mongolia,Inner Mongolia Autonomous Region "
                                               "Development and Reform Commission,ban,",
                                               ",Inner Mongolia,Inner Mongolia Autonomous Region "
                                               "Development and Reform Commission,crackdown,"),
         ("column 'measure'", "isin", "'crackdown'")),
    Case("unknown_province", "events",
         replace("E08,2021-06-09,2021-06-09,Xinjiang,", "E08,2021-06-09,2021-06-09,Atlantis,"),
         ("column 'jurisdiction'", "isin", "'Atlantis'")),
    Case("unknown_country", "cbeci_countries",
         lambda d: d.replace(b"2019-10-01,Other,", b"2019-10-01,Narnia,"),
         ("column 'country'", "isin", "'Narnia'")),
    Case("unknown_confidence", "machine_flows", replace(",confirmed,\r\n", ",probably,\r\n"),
         ("column 'confidence'", "isin", "'probably'")),
    Case("javascript_link", "events",
         replace("https://www.nasdaq.com/articles/inner-mongolia-to-shut-down-crypto-mining-"
                 "industry%3A-report-2021-03-01", "javascript:alert(1)"),
         ("column 'source_url'", "str_matches", "javascript:alert(1)")),
    Case("data_link_in_machine_flows", "machine_flows",
         replace("https://www.tomshardware.com/news/report-tracks-china-banned-crypto-miners",
                 "file:///etc/passwd"),
         ("column 'source_url'", "str_matches")),
    Case("javascript_corroborating_source", "events",
         replace(" ; https://asiatimes.com/2021/03/inner-mongolia-to-shut-down-crypto-mining-farms/",
                 " ; javascript:alert(1)"),
         ("column 'corroborating_sources'", "every_source_is_a_web_link_or_seed")),
    Case("fractional_machine_count", "machine_flows", replace(",205000,", ",205000.5,"),
         ("column 'value'", "machine_counts_are_whole_and_0_to_5_million")),
    Case("unknown_flow", "machine_flow_entities",
         replace("M04,Russia,,left China", "M04,Russia,,fled China"),
         ("column 'flow'", "isin", "'fled China'"), failure_value="fled China"),
    Case("duplicate_annotated_figure", "machine_flow_entities",
         replace("M02,,,left China", "M01,,,left China"),
         ("column 'figure_id'", "field_uniqueness", "'M01'")),
    Case("claim_with_unknown_table", "conflicting_figures",
         replace("Russia's?\",machine_flows:M06,", "Russia's?\",machineflows:M06,"),
         ("column 'claim_a'", "str_matches", "'machineflows:M06'", "line(s) 2")),
    Case("missing_required_value", "events",
         replace("E08,2021-06-09,2021-06-09,Xinjiang,", "E08,2021-06-09,2021-06-09,,"),
         ("column 'jurisdiction'", "not_nullable")),
    Case("price_per_th_inconsistent", "asic_listings",
         replace("Antminer S19j Pro 104T,88.46,9200", "Antminer S19j Pro 104T,98.46,9200"),
         ("column 'price_usd_per_th'", "price_per_th_is_price_over_hashrate", "line(s) 2")),
    Case("absurd_power", "asic_models",
         replace("Antminer S19 Pro,110,3250,", "Antminer S19 Pro,110,325000,"),
         ("column 'power_w'", "less_than_or_equal_to(20000)")),
    Case("truncated_last_line", "cbeci_countries", truncate_last_line,
         ("line 291", "3 field(s) where the header has 4")),
    Case("unterminated_quote", "events", replace('"A joint announcement', '"A joint" announcement'),
         ("not readable as CSV",)),
    Case("duplicate_column_name", "cbeci_countries", edit_header("abs_hashrate_ehs", "share_pct"),
         ("line 1", "duplicate column name(s): share_pct")),
    Case("nul_byte", "asic_models", replace("Antminer S19,95", "Antminer\x00S19,95"),
         ("not readable as CSV",)),
    Case("sha256_drift", "coinmetrics_btc_daily",
         replace(",6946.82526914085", ",6946.82526914086"),
         ("sha256 does not match its sidecar", "sidecar says:", "file has:"), resign=False),
    Case("missing_sidecar", "asic_listings", lambda d: d, ("no provenance sidecar",), resign=False,
         tags=("no_sidecar",)),
]  # fmt: skip


def drop_lines(prefix: str, count: int) -> Callable[[bytes], bytes]:
    """Drop every line starting with ``prefix`` (there must be ``count`` of them)."""

    def mutate(data: bytes) -> bytes:
        lines = data.split(b"\n")
        kept = [line for line in lines if not line.startswith(prefix.encode())]
        assert len(kept) == len(lines) - count, f"corpus case out of date: {prefix!r}"
        return b"\n".join(kept)

    return mutate


def drop_last_record(data: bytes) -> bytes:
    lines = data.rstrip(b"\n").split(b"\n")
    return b"\n".join(lines[:-1]) + b"\n"


def sidecar_field(name: str, value: str) -> Callable[[str], str]:
    """Rewrite one top-level field of the sidecar, as YAML text (so unquoted digits stay)."""

    def edit(text: str) -> str:
        lines = text.split("\n")
        hits = [i for i, line in enumerate(lines) if line.startswith(f"{name}:")]
        assert len(hits) == 1, f"sidecar has no single {name!r} field"
        lines[hits[0]] = f"{name}: {value}"
        return "\n".join(lines)

    return edit


def sidecar_without(name: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        return "\n".join(line for line in text.split("\n") if not line.startswith(f"{name}:"))

    return edit


def unchanged(data: bytes) -> bytes:
    return data


# fmt: off
#: Values that are well-typed but impossible, or not finite (issue 11, item 1).
VALUE_CASES: list[Case] = [
    Case("machine_count_of_a_trillion", "machine_flows",
         replace(",2000000,machines (lower bound", ",1000000000000,machines (lower bound"),
         ("column 'value'", "machine_counts_are_whole_and_0_to_5_million", "line(s) 2"),
         tags=("values",)),
    Case("machine_count_ten_times_too_big", "machine_flows",
         replace(",2000000,machines ('more than 2 million')",
                 ",20000000,machines ('more than 2 million')"),
         ("column 'value'", "machine_counts_are_whole_and_0_to_5_million", "line(s) 3"),
         tags=("values",)),
    Case("machine_count_infinite", "machine_flows", replace(",430000,", ",inf,"),
         ("column 'value'", "machine_counts_are_whole_and_0_to_5_million", "line(s) 4"),
         tags=("values",)),
    Case("kazakhstan_ehs_of_1e12", "cbeci_countries",
         replace("2019-09-01,Kazakhstan,1.42,1.26", "2019-09-01,Kazakhstan,1.42,1e12"),
         ("column 'abs_hashrate_ehs'", "less_than_or_equal_to(500)", "line(s) 8"),
         tags=("values",)),
    Case("ehs_not_matching_share", "cbeci_countries",
         replace("2019-09-01,Kazakhstan,1.42,1.26", "2019-09-01,Kazakhstan,1.42,12.6"),
         ("column 'abs_hashrate_ehs'", "share_matches_ehs_within_0.05_ehs"),
         tags=("values",)),
    Case("btc_price_of_1e12", "coinmetrics_btc_daily", replace(",6946.82526914085", ",1e12"),
         ("column 'PriceUSD'", "less_than_or_equal_to(2000000)", "line(s) 3"),
         tags=("values",)),
    # Inside the wide range a refreshed series needs, but ten times its own week.
    Case("btc_price_digit_too_many", "coinmetrics_btc_daily",
         replace(",46022.5037090006", ",460225.037090006"),
         ("column 'PriceUSD'", "within_3x_of_its_week", "line(s) 503"),
         tags=("values",)),
    Case("btc_price_infinity", "coinmetrics_btc_daily",
         replace(",6946.82526914085", ",Infinity"),
         ("column 'PriceUSD'", "finite_number", "'Infinity'", "line(s) 3"),
         tags=("values",)),
    Case("network_hashrate_ten_times", "coinmetrics_btc_daily",
         replace(",251359920.5600923775,", ",2513599205.600923775,"),
         ("column 'HashRate_THs'", "within_3x_of_its_week", "line(s) 913"),
         tags=("values",)),
    Case("fees_negative_infinity", "coinmetrics_btc_daily",
         replace(",13.72092988,", ",-inf,"),
         ("column 'FeeTotNtv'", "finite_number", "'-inf'"), tags=("values",)),
    Case("block_count_ten_times", "coinmetrics_btc_daily",
         replace("2020-01-01,174,", "2020-01-01,1740,"),
         ("column 'BlkCnt'", "less_than_or_equal_to(400)", "line(s) 2"), tags=("values",)),
    Case("source_hashrate_nan", "coinmetrics_btc_daily",
         replace(",96717718.31238091,", ",NaN,"),
         ("column 'HashRate_THs'", "finite_number", "'NaN'"), tags=("values",)),
    Case("asic_hashrate_ten_times", "asic_models",
         replace("Antminer S19 Pro,110,3250,", "Antminer S19 Pro,1100,3250,"),
         ("column 'hashrate_ths'", "less_than_or_equal_to(1000)", "line(s) 2"),
         tags=("values",)),
    Case("asic_power_nan", "asic_models",
         replace("Antminer S19 Pro,110,3250,", "Antminer S19 Pro,110,nan,"),
         ("column 'power_w'", "finite_number"), tags=("values",)),
    Case("asic_price_per_th_ten_times", "asic_listings",
         replace("2021-05-07,Hashrate Index ASIC Price Index: under 38 J/TH,119.25,",
                 "2021-05-07,Hashrate Index ASIC Price Index: under 38 J/TH,1192.5,"),
         ("column 'price_usd_per_th'", "less_than_or_equal_to(500)", "line(s) 13"),
         tags=("values",)),
    Case("asic_price_infinite_in_nullable_column", "asic_listings",
         replace(",96.24,,,", ",96.24,inf,,"),
         ("column 'price_usd'", "finite_number", "line(s) 12"), tags=("values",)),
    Case("published_figure_dated_before_the_crackdown", "published_figures",
         replace("P02,2021-11-21,", "P02,2011-11-21,"),
         ("column 'date'", "greater_than_or_equal_to(2021-01-01"), tags=("values",)),
    Case("article_outlet_without_address", "press_articles",
         replace(",https://regardnews.com/china-has-added-a-new-one-to-its-bitcoin-mining-bans/,",
                 ",,"),
         ("column 'article_id'", "an_identified_article_has_outlet_and_address", "line(s) 4"),
         tags=("values",)),
    Case("statement_quote_longer_than_a_sentence", "source_statements",
         replace("The mining map uses aggregate geo-location data",
                 "The mining map uses aggregate geo-location data " + "and more " * 40),
         ("column 'quote'", "str_length", "line(s) 2"), tags=("text",)),
    Case("page_dated_by_day_and_by_year", "machine_flows",
         replace(",https://www.scmp.com/tech/policy/article/3166688/chinese-bitcoin-miner-exodus-"
                 "faces-hurdles-equipment-remains-stuck,,2022,",
                 ",https://www.scmp.com/tech/policy/article/3166688/chinese-bitcoin-miner-exodus-"
                 "faces-hurdles-equipment-remains-stuck,2022-01-05,2022,"),
         ("column 'source_year'", "a_page_is_dated_by_day_or_by_year"), tags=("values",)),
    Case("stored_copy_name_as_publisher", "machine_flows",
         replace(",newsbsc.com,MN Mansha,", ",newsbsc.com (seed 004_3fbfbf5ea60b410f.txt),,"),
         ("column 'source_publisher'", "str_matches", "line(s) 3"), tags=("text",)),
]

#: Series with a hole or running past their declared window (item 2).
COMPLETENESS_CASES: list[Case] = [
    Case("province_month_deleted", "cbeci_provinces", drop_lines("2020-07-01,", 9),
         ("column 'date'", "every_period_present(months 2019-09-01..2021-07-01)",
          "'2020-07-01 Sichuan missing'"), tags=("completeness",)),
    Case("country_month_deleted", "cbeci_countries", drop_lines("2021-03-01,", 10),
         ("column 'date'", "every_period_present(months 2019-09-01..2022-01-01)",
          "'2021-03-01 Mainland China missing'"), tags=("completeness",)),
    Case("province_missing_in_one_month", "cbeci_provinces", drop_line("2020-07-01,Xinjiang,"),
         ("every_period_present", "'2020-07-01 Xinjiang missing'"), tags=("completeness",)),
    Case("last_day_missing", "coinmetrics_btc_daily", drop_last_record,
         ("column 'date'", "every_period_present(days 2020-01-01..2022-06-30)",
          "'2022-06-30 missing'"), tags=("completeness",)),
    Case("daily_metrics_day_missing", "coinmetrics_btc_daily", drop_line("2022-06-29,"),
         ("every_period_present(days", "'2022-06-29 missing'"), tags=("completeness",)),
    # A month past the declared end is allowed (a refreshed download), but only whole:
    # here it holds one province, and its own month is then missing.
    Case("month_past_the_window", "cbeci_provinces",
         replace("2019-09-01,Sichuan,", "2021-08-01,Sichuan,"),
         ("column 'date'", "every_period_present(months 2019-09-01..2021-08-01)",
          "2019-09-01 Sichuan missing", "2021-08-01 Xinjiang missing"),
         tags=("completeness",)),
]

#: Keys and text that are not what they look like (item 3).
TEXT_CASES: list[Case] = [
    Case("arabic_indic_digits_in_id", "events",
         replace("E08,2021-06-09", "E\u0660\u0668,2021-06-09"),
         ("column 'event_id'", "str_matches", "line(s) 9"), tags=("text",)),
    Case("fullwidth_digits_in_id", "machine_flow_entities",
         replace("M05,Russia,BitRiver", "M\uff10\uff15,Russia,BitRiver"),
         ("column 'figure_id'", "str_matches", "line(s) 6"), tags=("text",)),
    Case("line_separator_in_company", "machine_flow_entities",
         replace("M05,Russia,BitRiver", "M05,Russia,Bit\u2028River"),
         ("column 'company'", "no_control_or_separator_characters(U+2028)", "line(s) 6"),
         tags=("text",)),
    Case("paragraph_separator_in_topic", "conflicting_figures",
         replace("BitRiver's own count", "BitRiver's\u2029own count"),
         ("column 'topic'", "U+2029", "line(s) 3"), tags=("text",)),
    Case("newline_in_quoted_claim", "published_figures",
         replace("P01,,China's share of global hashrate in April 2020 as shown by the CCAF "
                 "Bitcoin Mining Map at its launch,",
                 "P01,,\"China's share of global\nhashrate in April 2020 as shown by the CCAF "
                 "Bitcoin Mining Map at its launch\","),
         ("column 'claim'", "U+000A", "line(s) 2"), tags=("text",)),
    Case("tab_in_province", "cbeci_provinces",
         replace("2019-09-01,Sichuan,", "2019-09-01,Sich\tuan,"),
         ("column 'province'", "U+0009"), tags=("text",)),
    Case("bidi_override_in_model_name", "asic_models",
         replace("Bitmain,Antminer S19 Pro,", "Bitmain,Antminer \u202eS19 Pro,"),
         ("column 'model'", "U+202E", "line(s) 2"), tags=("text",)),
    Case("decomposed_accent_in_vendor", "asic_listings",
         replace(",104,Kaboomracks,", ",104,Kaboomracks Cafe\u0301,"),
         ("column 'vendor'", "text_is_nfc", "line(s) 2"), tags=("text",)),
    Case("bell_in_summary", "events",
         replace("Prefecture planners told", "Prefecture \x07planners told"),
         ("column 'summary'", "U+0007", "line(s) 9"), tags=("text",)),
    Case("escape_sequence_in_block_count", "coinmetrics_btc_daily",
         replace("2020-01-01,174,", "2020-01-01,\x1b[31m174,"),
         ("column 'BlkCnt'", "U+001B")),
]

#: Sidecars that break their schema (item 4); the CSV itself is untouched.
SIDECAR_CASES: list[Case] = [
    Case("sha256_all_digits", "events", unchanged,
         ("sha256 does not match its sidecar", "sidecar says: " + "1" * 64),
         edit_sidecar=sidecar_field("sha256", "1" * 64), tags=("sidecar",)),
    Case("sha256_too_short", "machine_flows", unchanged,
         ("machine_flows.meta.yml", "field 'sha256': expected 64 hex digits", "'abc123'"),
         edit_sidecar=sidecar_field("sha256", "abc123"), tags=("sidecar",)),
    Case("accessed_last_week", "cbeci_provinces", unchanged,
         ("cbeci_provinces.meta.yml", "field 'accessed': expected a date YYYY-MM-DD",
          "'last week'"), edit_sidecar=sidecar_field("accessed", "last week"),
         tags=("sidecar",)),
    Case("accessed_impossible_date", "asic_models", unchanged,
         ("asic_models.meta.yml", "field 'accessed'", "2026-02-30"),
         edit_sidecar=sidecar_field("accessed", '"2026-02-30"'), tags=("sidecar",)),
    Case("accessed_before_the_data_ends", "coinmetrics_btc_daily", unchanged,
         ("coinmetrics_btc_daily.meta.yml", "column 'accessed'",
          "accessed_not_before_last_data_date(2022-06-30)", "'2021-01-01'"),
         edit_sidecar=sidecar_field("accessed", "2021-01-01"), tags=("sidecar",)),
    Case("published_not_a_date", "published_figures", unchanged,
         ("published_figures.meta.yml", "field 'published'", "'soon'"),
         edit_sidecar=sidecar_field("published", "soon"), tags=("sidecar",)),
    Case("url_not_a_link", "conflicting_figures", unchanged,
         ("conflicting_figures.meta.yml", "field 'url': expected an http(s) link"),
         edit_sidecar=sidecar_field("url", "javascript:alert(1)"), tags=("sidecar",)),
    Case("title_missing", "machine_flow_entities", unchanged,
         ("machine_flow_entities.meta.yml", "missing or empty field(s): title"),
         edit_sidecar=sidecar_without("title"), tags=("sidecar",)),
    Case("title_is_a_number", "cbeci_countries", unchanged,
         ("cbeci_countries.meta.yml", "field 'title': expected text"),
         edit_sidecar=sidecar_field("title", "42"), tags=("sidecar",)),
    Case("sidecar_is_a_list", "asic_listings", unchanged,
         ("asic_listings.meta.yml", "expected a mapping of fields, found list"),
         edit_sidecar=lambda text: "- a\n- b\n", tags=("sidecar",)),
    Case("sidecar_not_yaml", "coinmetrics_btc_daily", unchanged,
         ("coinmetrics_btc_daily.meta.yml", "not readable as YAML"),
         edit_sidecar=lambda text: "title: [unclosed\n", tags=("sidecar",)),
]

# fmt: on
CASES += VALUE_CASES + COMPLETENESS_CASES + TEXT_CASES + SIDECAR_CASES


def sidecar_of(csv: Path) -> Path:
    return sidecar_path(csv)


def break_snapshot(case: Case, project: Path) -> Path:
    """Apply ``case`` to the snapshot inside ``project``; return the broken CSV's path."""
    csv = project / case.raw
    data = case.mutate(csv.read_bytes())
    csv.write_bytes(data)
    meta_path = sidecar_of(csv)
    if "no_sidecar" in case.tags:
        meta_path.unlink()
    elif case.resign:
        resign(csv)
    if case.edit_sidecar is not None:
        meta_path.write_text(case.edit_sidecar(meta_path.read_text(encoding="utf-8")))
    return csv


def scale_column(prefix: str, column: int, factor: float) -> Callable[[bytes], bytes]:
    """Multiply one numeric column of every line starting with ``prefix``."""

    def mutate(data: bytes) -> bytes:
        lines = data.split(b"\n")
        hits = 0
        for i, line in enumerate(lines):
            if line.startswith(prefix.encode()):
                fields = line.split(b",")
                fields[column] = f"{float(fields[column]) * factor:.6f}".encode()
                lines[i] = b",".join(fields)
                hits += 1
        assert hits, f"corpus case out of date: no line starts with {prefix!r}"
        return b"\n".join(lines)

    return mutate


#: Cases that each table passes on its own, but that break a cross-table check:
#: March 2021's network hashrate 10 % above what CCAF's countries add up to.
CROSS_TABLE_CASES: list[Case] = [
    Case("network_hashrate_off_by_a_tenth", "coinmetrics_btc_daily",
         scale_column("2021-03-", 3, 1.1),
         ("cbeci_countries.csv", "column 'abs_hashrate_ehs'",
          "ccaf_ehs_matches_coin_metrics_hashrate(within 1%)",
          "2021-03: CCAF 159.60 EH/s, Coin Metrics 175.56 EH/s in "
          "data/raw/coinmetrics/coinmetrics_btc_daily.csv"),
         tags=("cross",)),
]  # fmt: skip
