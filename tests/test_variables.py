"""Numbers quoted in the prose, computed from a hand-built table."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from mining_report.variables import hashrate_variables, to_yaml


def table() -> pd.DataFrame:
    rows = [
        ("2021-01-01", "China", 70.0), ("2021-01-01", "United States", 10.0),
        ("2021-01-01", "Other", 20.0),
        ("2021-02-01", "China", 60.0), ("2021-02-01", "United States", 15.0),
        ("2021-02-01", "Other", 25.0),
        ("2021-03-01", "China", 0.0), ("2021-03-01", "United States", 30.0),
        ("2021-03-01", "Other", 70.0),
        ("2021-04-01", "China", 12.5), ("2021-04-01", "United States", 40.0),
        ("2021-04-01", "Other", 47.5),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["month", "country", "share_pct"])
    return frame.assign(month=pd.to_datetime(frame["month"]), hashrate_ehs=1.0)


def test_headline_numbers_worked_by_hand() -> None:
    values = hashrate_variables(table(), "2021-02-01")
    assert values["ccaf_first_month"] == "January 2021"
    assert values["ccaf_last_month"] == "April 2021"
    assert values["ccaf_month_count"] == "4"
    assert values["ccaf_named_countries"] == "2"
    assert values["china_share_first"] == "70.00"
    assert values["pre_crackdown_month"] == "February 2021"
    assert values["china_share_pre_crackdown"] == "60.00"
    assert values["china_zero_month"] == "March 2021"
    # "Other" (70 %) is not a country: the leader is the United States.
    assert values["leader_at_china_zero"] == "United States"
    assert values["leader_share_at_china_zero"] == "30.00"
    assert values["china_share_last"] == "12.50"


def test_china_never_at_zero_is_an_error() -> None:
    frame = table()
    frame.loc[frame["share_pct"] == 0.0, "share_pct"] = 1.0
    with pytest.raises(ValueError, match="never reaches zero"):
        hashrate_variables(frame, "2021-02-01")


def test_yaml_round_trips_as_strings() -> None:
    text = to_yaml({"b": "1.50", "a": "Iran, Islamic Rep."})
    assert yaml.safe_load(text) == {"a": "Iran, Islamic Rep.", "b": "1.50"}
    assert text.index('"a"') < text.index('"b"')
