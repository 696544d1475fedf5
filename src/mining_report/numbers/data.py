"""Data and methods: what the validation checked, and the licence the text names."""

from __future__ import annotations

from collections.abc import Mapping

from mining_report.formatting import day_text, number
from mining_report.numbers.common import COUNT, DAY, RAW_TABLES, _is
from mining_report.numbers.lineage import Format, pick, quote
from mining_report.raw.provenance import Sidecar


def licence_label(licence_id: str) -> str:
    """An SPDX Creative Commons id as Creative Commons write it: 'CC BY-NC 4.0'."""
    parts = licence_id.split("-")
    if parts[0] != "CC" or len(parts) < 3:
        return licence_id
    return f"CC {'-'.join(parts[1:-1])} {parts[-1]}"


def data_numbers(
    validations: list[dict[str, object]], sidecars: Mapping[str, Sidecar]
) -> dict[str, str]:
    """What the validation checked, and the licence the text names."""
    by_author = {str(meta.author): meta for meta in sidecars.values()}
    every = "every raw table"
    return {
        "raw_table_count": quote(
            number(len(validations)), "the number of raw tables validated",
            pick(RAW_TABLES, "table", op="count"), fmt=COUNT, filter=every,
        ),
        "validation_rows": quote(
            number(sum(int(v["rows"]) for v in validations)),
            "the rows of all raw tables", pick(RAW_TABLES, "rows", op="sum"), fmt=COUNT,
            filter=every,
        ),
        "validation_checks": quote(
            number(sum(int(v["checks"]) for v in validations)),
            "the checks the raw tables passed", pick(RAW_TABLES, "checks", op="sum"), fmt=COUNT,
            filter=every,
        ),
        # The edition is named by its data: the latest day a source was accessed.
        "edition_day": quote(
            day_text(max(meta.accessed for meta in sidecars.values())),
            "the edition: the latest day a source of the raw tables was accessed",
            pick(RAW_TABLES, "accessed", op="max"), fmt=DAY, filter=every,
        ),
        "oldest_snapshot_day": quote(
            day_text(min(meta.accessed for meta in sidecars.values())),
            "the earliest day a source of the raw tables was accessed",
            pick(RAW_TABLES, "accessed", op="min"), fmt=DAY, filter=every,
        ),
        "coinmetrics_licence": quote(
            licence_label(str(by_author["Coin Metrics"].licence_id)),
            "the licence of Coin Metrics' data, as its provenance record states it",
            pick(RAW_TABLES, "licence_id", where=[_is("author", "Coin Metrics")]),
            fmt=Format(kind="licence"),
        ),
    }  # fmt: skip


def data_group(
    validations: list[dict[str, object]], sidecars: Mapping[str, Sidecar]
) -> dict[str, str]:
    """What the validation checked, and the licence the text names."""
    return data_numbers(validations, sidecars)
