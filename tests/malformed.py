"""A corpus of malformed raw inputs, each with the words its rejection must contain.

Each case copies one committed raw snapshot, breaks it in one way, and (unless the
case is about the sidecar itself) re-signs the sidecar with the broken file's
sha256, so that the schema, not the checksum, has to catch the fault.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mining_report.provenance import sidecar_path

ROOT = Path(__file__).resolve().parents[1]

RAW = {
    "cbeci_countries": "data/raw/ccaf/cbeci_countries.csv",
    "cbeci_provinces": "data/raw/ccaf/cbeci_provinces.csv",
    "events": "data/raw/press/events.csv",
    "machine_flows": "data/raw/press/machine_flows.csv",
    "machine_flow_entities": "data/raw/press/machine_flow_entities.csv",
    "published_figures": "data/raw/press/published_figures.csv",
    "source_conflicts": "data/raw/press/source_conflicts.csv",
    "btc_daily": "data/raw/coinmetrics/btc_daily.csv",
    "asic_models": "data/raw/hardware/asic_models.csv",
    "asic_prices": "data/raw/hardware/asic_prices.csv",
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

    @property
    def raw(self) -> str:
        return RAW[self.table]


CASES: list[Case] = [
    Case("missing_column", "cbeci_countries", edit_header(",abs_hashrate_ehs", ""),
         ("line 2: 4 field(s) where the header has 3",)),
    Case("dropped_column_everywhere", "btc_daily",
         lambda d: b"\n".join(b",".join(line.split(b",")[:-1]) for line in d.split(b"\n")),
         ("column 'miner_revenue_usd'", "column_in_dataframe")),
    Case("extra_column", "cbeci_countries", append_column("comment"),
         ("column 'comment'", "column_in_schema")),
    Case("wrong_type", "cbeci_countries",
         replace("2019-09-01,Other,6.10,", "2019-09-01,Other,six,"),
         ("column 'share_pct'", "coerce_dtype", "'six'", "line(s) 3"), failure_value="six"),
    Case("not_a_number_word", "btc_daily", replace("2020-01-02,6946.83,", "2020-01-02,NA,"),
         ("column 'price_usd'", "coerce_dtype", "'NA'", "line(s) 3")),
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
    Case("negative_price", "btc_daily", replace("2020-01-03,7315.31,", "2020-01-03,-7315.31,"),
         ("column 'price_usd'", "greater_than(0)", "line(s) 4")),
    Case("zero_hashrate", "btc_daily", replace(",112.929775,", ",0,"),
         ("column 'hashrate_ehs'", "greater_than(0)", "line(s) 2")),
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
    Case("date_before_window", "btc_daily", replace("2020-01-01,7170.63", "2019-12-31,7170.63"),
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
    Case("unknown_confidence", "machine_flows", replace(",confirmed\r\n", ",probably\r\n"),
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
         ("column 'value'", "machine_counts_are_whole_and_non_negative")),
    Case("unknown_flow", "machine_flow_entities",
         replace("M04,Russia,,left China", "M04,Russia,,fled China"),
         ("column 'flow'", "isin", "'fled China'"), failure_value="fled China"),
    Case("duplicate_annotated_figure", "machine_flow_entities",
         replace("M02,,,left China", "M01,,,left China"),
         ("column 'figure_id'", "field_uniqueness", "'M01'")),
    Case("claim_with_unknown_table", "source_conflicts",
         replace("(seed 004),machine_flows:M06,", "(seed 004),machineflows:M06,"),
         ("column 'claim_a'", "str_matches", "'machineflows:M06'", "line(s) 2")),
    Case("missing_required_value", "events",
         replace("E08,2021-06-09,2021-06-09,Xinjiang,", "E08,2021-06-09,2021-06-09,,"),
         ("column 'jurisdiction'", "not_nullable")),
    Case("price_per_th_inconsistent", "asic_prices",
         replace("Antminer S19j Pro 104T,88.46,9200", "Antminer S19j Pro 104T,98.46,9200"),
         ("column 'price_usd_per_th'", "price_per_th_is_price_over_hashrate", "line(s) 2")),
    Case("missing_day", "btc_daily", drop_line("2021-07-03,"),
         ("column 'date'", "every_day_once_in_order")),
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
    Case("sha256_drift", "btc_daily", replace("2020-01-02,6946.83,", "2020-01-02,6946.84,"),
         ("sha256 does not match its sidecar", "sidecar says:", "file has:"), resign=False),
    Case("missing_sidecar", "asic_prices", lambda d: d, ("no provenance sidecar",), resign=False,
         tags=("no_sidecar",)),
]  # fmt: skip


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
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        meta["sha256"] = hashlib.sha256(data).hexdigest()
        meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return csv
