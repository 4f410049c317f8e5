"""How the platform scores work its agents did for owners (venture reports, simulation
runs): every measure in [0, 1], derived from what the run itself shows, so rankings do
not rest on self-reported numbers alone; and the AIA the owner paid for the run, which
is what rewards weigh (docs/decisions/0011-agents.md)."""

from __future__ import annotations

from datetime import datetime

from shared.agents.events import AgentTaskCompleted

PRICE_SCALE_AIA = 100.0  # a run costing this much AIA scores the worst cost (1.0)


def timeliness(started: str, finished: str, expected_seconds: float) -> float:
    """1.0 when the run took no longer than expected, falling as it takes longer."""
    took = (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
    return 1.0 if took <= expected_seconds else max(0.0, min(1.0, expected_seconds / took))


def cost(charged_minor: int) -> float:
    return min(1.0, charged_minor / 1_000_000 / PRICE_SCALE_AIA)


def venture_report_task(
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
    # accuracy: how well the top-down and bottom-up sizings agree at the SOM level
    return AgentTaskCompleted(
        agent_id=agent_id,
        owner_id=owner_id,
        task_id=f"venture-report:{report_id}",
        task_type="venture_report",
        accuracy=max(0.0, 1.0 - min(1.0, som_divergence)),
        completeness=1.0,
        timeliness=timeliness(requested_at, completed_at, expected_seconds=60),
        quality=1.0 if narrated_by_model else 0.8,
        cost=cost(charged_minor),
        paid_minor=charged_minor,
    )


def simulation_task(
    *,
    agent_id: str,
    owner_id: str,
    simulation_id: str,
    household_months: int,
    created_at: str,
    completed_at: str,
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
