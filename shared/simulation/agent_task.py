"""A simulation run on behalf of an agent is that agent's task: the simulation tells the
agents feature so through the `AgentTaskCompleted` event (the agents' contract), scored
from the run itself (docs/decisions/0011-agents.md)."""

from __future__ import annotations

from datetime import datetime

from shared.agents.events import AgentTaskCompleted, cost, timeliness


def run_task(
    *,
    agent_id: str,
    owner_id: str,
    simulation_id: str,
    household_months: int,
    created_at: datetime,
    completed_at: datetime,
    charged_minor: int,
) -> AgentTaskCompleted:
    # Expected pace: a tenth of what the engine does on one core (1M household-months/s),
    # so event delivery and queueing are allowed for.
    return AgentTaskCompleted(
        agent_id=agent_id,
        owner_id=owner_id,
        task_id=f"simulation:{simulation_id}",
        task_type="simulation",
        accuracy=1.0,  # every tick passed the stock-flow and token conservation checks
        completeness=1.0,
        timeliness=timeliness(created_at, completed_at, max(5.0, household_months / 1e6)),
        quality=1.0,
        cost=cost(charged_minor),
        paid_minor=charged_minor,
    )
