"""The weekly refresh workflow runs the loop the tests run end to end, and opens a
pull request only with what the loop wrote."""

from __future__ import annotations

import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/refresh.yml"


def test_the_weekly_workflow_runs_the_tested_loop_and_opens_a_pull_request() -> None:
    spec = yaml.safe_load(WORKFLOW.read_text())
    triggers = spec[True]  # YAML 1.1 reads the key `on` as true
    (cron,) = [entry["cron"] for entry in triggers["schedule"]]
    assert len(cron.split()) == 5 and cron.split()[2:4] == ["*", "*"] and cron.split()[4] != "*"
    steps = spec["jobs"]["new-edition"]["steps"]
    runs = [step.get("run", "") for step in steps]
    loop = next(i for i, run in enumerate(runs) if "mining_report.pipeline.new_edition" in run)
    assert "--keep-refused" in runs[loop] and steps[loop]["id"] == "edition"
    # The published report first, to compare the new edition with; the tests after.
    assert any("make report" in run for run in runs[:loop])
    assert any(".ci/run" in run for run in runs[loop:])
    pull = next(s for s in steps if s.get("uses", "").startswith("peter-evans/create-pull"))
    assert pull["with"]["body-path"] == "reports/_build/pull-request.md"
    assert set(pull["with"]["add-paths"].split()) == {"data/raw", "editions", "config/config.yaml"}
    assert "steps.edition.outputs.changed == 'true'" in pull["if"]
    assert spec["permissions"] == {"contents": "write", "pull-requests": "write"}
