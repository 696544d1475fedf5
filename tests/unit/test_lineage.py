"""Where each quoted number comes from: the lineage records and their recomputation,
on small tables built by hand (tests/pipeline/test_lineage_built.py checks the build's).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from mining_report.numbers.lineage import Format, pick, quote, recompute
from mining_report.numbers.lineage_records import lineage_records
from mining_report.numbers.raw_lines import line_ranges, read_with_lines

from conftest import sidecar

NBSP = "\u00a0"


def shares() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": pd.to_datetime(["2021-01-01"] * 3 + ["2021-02-01"] * 3),
            "country": ["China", "Kazakhstan", "Other"] * 2,
            "share_pct": [50.0, 10.0, 40.0, 0.0, 30.0, 30.0],
        }
    )


KEYS = {"shares": ["month", "country"]}


# --------------------------------------------------------------------------------------
# The closed vocabulary, on hand-built rows
# --------------------------------------------------------------------------------------


def test_a_quoted_value_is_the_string_it_prints() -> None:
    value = quote("50.00\u00a0%", "China in January", pick("t", "x"), fmt=Format(kind="percent"))
    assert value == "50.00\u00a0%" and isinstance(value, str)
    assert value.lineage.formula == "China in January"
    assert yaml.safe_dump({"a": str(value)}) == yaml.safe_dump({"a": "50.00\u00a0%"})


@pytest.mark.parametrize(
    ("part", "fmt", "expected"),
    [
        # The one row of China in February: 0.
        (pick("shares", "share_pct", where=[("country", "==", "China"),
                                            ("month", "==", "2021-02-01")]), "percent", "0.00 %"),
        # Kazakhstan's largest share is February's 30.
        (pick("shares", "month", op="argmax", by="share_pct",
              where=[("country", "==", "Kazakhstan")]), "month", "February 2021"),
        # February ties Kazakhstan and Other at 30: the first in key order (Kazakhstan).
        (pick("shares", "country", op="argmax", by="share_pct",
              where=[("month", "==", "2021-02-01")]), "text", "Kazakhstan"),
        # Months where China's share is 0: one.
        (pick("shares", "month", op="count", where=[("country", "==", "China"),
                                                    ("share_pct", "==", 0)]), "count", "1"),
        # Months whose named countries (not Other) sum to 30: February (0 + 30).
        (pick("shares", "month", op="list", group_by=["month"], by="share_pct",
              where=[("country", "!=", "Other")], having=[("share_pct", "==", 30)]),
         "month_list", "February 2021"),
    ],
)  # fmt: skip
def test_each_operation_recomputes_by_hand(part, fmt: str, expected: str) -> None:
    lineage = quote(
        "x", "a test", part, fmt=Format(kind=fmt, decimals=2 * (fmt == "percent"))
    ).lineage
    assert recompute(lineage, {"shares": shares()}, KEYS) == expected.replace(" %", NBSP + "%")


def test_ratio_fall_rise_and_difference_combine_two_selections() -> None:
    january = pick(
        "shares",
        "share_pct",
        where=[("country", "==", "Kazakhstan"), ("month", "==", "2021-01-01")],
    )  # 10
    february = pick(
        "shares",
        "share_pct",
        where=[("country", "==", "Kazakhstan"), ("month", "==", "2021-02-01")],
    )  # 30
    whole = Format(kind="percent", decimals=0)
    ratio = quote("x", "a share", january, february, combine="ratio", fmt=whole).lineage
    fall = quote("x", "a share", january, february, combine="fall", fmt=whole).lineage
    assert recompute(ratio, {"shares": shares()}, KEYS) == f"33{NBSP}%"  # 10 / 30
    assert recompute(fall, {"shares": shares()}, KEYS) == f"67{NBSP}%"  # 1 - 10 / 30
    rise = quote("x", "a share", february, january, combine="rise", fmt=whole).lineage
    assert recompute(rise, {"shares": shares()}, KEYS) == f"200{NBSP}%"  # 30 / 10 - 1
    points = Format(kind="number", decimals=1)
    gap = quote("x", "points", february, january, combine="difference", fmt=points).lineage
    assert recompute(gap, {"shares": shares()}, KEYS) == "20.0"  # 30 - 10


def test_value_needs_exactly_one_row() -> None:
    lineage = quote("x", "a share", pick("shares", "share_pct", where=[("country", "==", "China")]),
                    fmt=Format(kind="percent")).lineage  # fmt: skip
    with pytest.raises(ValueError, match="exactly one row"):
        recompute(lineage, {"shares": shares()}, KEYS)


def test_a_variable_without_lineage_or_with_a_wrong_one_stops_the_build(tmp_path: Path) -> None:
    csv = tmp_path / "cbeci_countries.csv"
    csv.write_text(
        "date,country,share_pct,abs_hashrate_ehs\n2021-01-01,Mainland China,50.00,1\n",
        encoding="utf-8",
    )
    table = pd.DataFrame(
        {"month": pd.to_datetime(["2021-01-01"]), "country": ["China"], "share_pct": [50.0],
         "hashrate_ehs": [1.0]}
    )  # fmt: skip
    meta = {"cbeci_countries": sidecar(title="Mining Map", author="CCAF", url="https://x.org")}
    args = ({"hashrate_by_country": table}, {"cbeci_countries": str(csv)}, meta, "2021-01-01")
    with pytest.raises(ValueError, match="without lineage: share"):
        lineage_records({"share": "50.00 %"}, *args)
    right = pick("hashrate_by_country", "share_pct", where=[("country", "==", "China")])
    wrong = quote(f"51.00{NBSP}%", "China's share", right, fmt=Format(kind="percent", decimals=2))
    with pytest.raises(ValueError, match=r"share: its lineage recomputes '50\.00"):
        lineage_records({"share": wrong}, *args)
    good = quote(f"50.00{NBSP}%", "China's share", right, fmt=Format(kind="percent", decimals=2))
    record = lineage_records({"share": good}, *args).records["share"]
    assert [(r.table, r.lines) for r in record.raw] == [("cbeci_countries", [2])]
    assert [(row.table, row.key) for row in record.rows] == [
        ("hashrate_by_country", {"month": "2021-01-01", "country": "China"})
    ]


def test_raw_lines_count_the_lines_a_quoted_field_spans(tmp_path: Path) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text('id,note\nA,"one\ntwo"\nB,three\n', encoding="utf-8")
    assert read_with_lines(csv)[["id", "line"]].values.tolist() == [["A", 2], ["B", 4]]


def test_line_ranges_read_as_a_reader_writes_them() -> None:
    assert line_ranges([124]) == "line 124"
    assert line_ranges([126, 124, 125, 130]) == "lines 124\u2013126, 130"
    many = line_ranges(list(range(2, 200, 2)))
    assert many.startswith("lines 2, 4, 6, 8, 10, 12, \u2026") and "(99 lines in all)" in many
