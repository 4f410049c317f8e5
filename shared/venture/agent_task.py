"""A venture report run on behalf of an agent is that agent's task: the venture feature
tells the agents feature so through the `AgentTaskCompleted` event (the agents' contract),
with every measure in [0, 1] derived from the run itself, so rankings do not rest on
self-reported numbers (docs/decisions/0011-agents.md)."""

from __future__ import annotations

from datetime import datetime

from shared.agents.events import AgentTaskCompleted, cost, timeliness

EXPECTED_SECONDS = 60.0  # a report that takes longer scores lower on timeliness


def report_task(
    *,
    agent_id: str,
    owner_id: str,
    report_id: str,
    som_divergence: float,
    narrated_by_model: bool,
    requested_at: str,
    completed_at: str,
    charged_minor: int,
) -> AgentTaskCompleted:
    return AgentTaskCompleted(
        agent_id=agent_id,
        owner_id=owner_id,
        task_id=f"venture-report:{report_id}",
        task_type="venture_report",
        # how well the top-down and bottom-up sizings agree at the SOM level
        accuracy=max(0.0, 1.0 - min(1.0, som_divergence)),
        completeness=1.0,
        timeliness=timeliness(
            datetime.fromisoformat(requested_at),
            datetime.fromisoformat(completed_at),
            EXPECTED_SECONDS,
        ),
        quality=1.0 if narrated_by_model else 0.8,  # a template summary is the fallback
        cost=cost(charged_minor),
        paid_minor=charged_minor,
    )
