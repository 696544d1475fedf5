"""The built data package passes the Frictionless reference implementation."""

from __future__ import annotations

import json
from pathlib import Path


def test_the_published_data_package_validates_with_the_reference_implementation(
    built_project: Path,
) -> None:
    import frictionless

    path = built_project / "data" / "processed" / "datapackage.json"
    report = frictionless.validate(path)
    assert report.valid, report.flatten(["type", "note"])[:10]
    package = json.loads(path.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert resource["profile"] == "tabular-data-resource"
        assert resource["sources"], resource["name"]
    by_name = {r["name"]: r for r in package["resources"]}
    # Coin Metrics' licence travels with every table computed from its fields.
    assert {"name": "CC-BY-NC-4.0", "title": "CC BY-NC 4.0"} in by_name["price_trends"]["licenses"]
