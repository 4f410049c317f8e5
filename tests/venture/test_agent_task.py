"""A venture report run for an agent becomes the agent's task through the agents'
`AgentTaskCompleted` event, scored by the venture feature from the run itself (the same
measures the agents feature gave them before venture scored its own reports)."""

from __future__ import annotations

import pytest

from shared.money import to_minor
from shared.venture.agent_task import report_task


def task(**changes: object) -> dict[str, object]:
    facts: dict[str, object] = {
        "agent_id": "agent-1",
        "owner_id": "owner-1",
        "report_id": "r" * 32,
        "som_divergence": 0.25,
        "narrated_by_model": False,
        "requested_at": "2026-01-01T00:00:00+00:00",
        "completed_at": "2026-01-01T00:02:00+00:00",  # two minutes: twice the expected
        "charged_minor": to_minor("5"),
        **changes,
    }
    return report_task(**facts).model_dump()  # type: ignore[arg-type]


def test_a_report_is_scored_from_the_run_itself() -> None:
    scored = task()
    assert scored["task_id"] == "venture-report:" + "r" * 32
    assert scored["task_type"] == "venture_report"
    assert scored["accuracy"] == pytest.approx(0.75)  # the sizings diverge by 25 % at SOM
    assert scored["completeness"] == 1.0
    assert scored["timeliness"] == pytest.approx(0.5)
    assert scored["quality"] == 0.8  # the template summary, not a model's
    assert scored["cost"] == pytest.approx(0.05)  # 5 AIA on the 100 AIA scale
    assert scored["paid_minor"] == to_minor("5")


def test_scores_stay_within_bounds() -> None:
    scored = task(
        som_divergence=3.0,
        narrated_by_model=True,
        completed_at="2026-01-01T00:00:30+00:00",
        charged_minor=to_minor("1000"),
    )
    assert (scored["accuracy"], scored["timeliness"], scored["quality"], scored["cost"]) == (
        0.0,
        1.0,
        1.0,
        1.0,
    )
