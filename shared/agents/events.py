from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from shared.agents.weeks import checked_week
from shared.events.envelope import EventData

TASK_TYPE = r"^[a-z0-9][a-z0-9_-]{0,59}$"
_Score = Field(ge=0.0, le=1.0)


class AgentTaskCompleted(EventData, event_type="tech.013a.agent.task.completed"):
    """An agent finished a task for its owner (a venture report, a simulation run):
    record its performance. Idempotent per (agent_id, task_id); an unknown agent or one
    that is not `owner_id`'s is logged and dropped."""

    agent_id: str = Field(min_length=1, max_length=64)
    owner_id: str = Field(min_length=1, max_length=64)
    task_id: str = Field(min_length=1, max_length=200)
    task_type: str = Field(pattern=TASK_TYPE)
    accuracy: float = _Score
    completeness: float = _Score
    timeliness: float = _Score
    quality: float = _Score
    cost: float = _Score
    # AIA (minor units) the owner paid for this work; 0 in events from before it existed.
    # Rewards weigh observed work by it (docs/decisions/0011-agents.md).
    paid_minor: int = Field(default=0, ge=0)

    def subject(self) -> str:
        return f"agents/{self.agent_id}/tasks/{self.task_id}"


# How features that run work for agents score it (the contract, with the event above):
# every measure in [0, 1], derived from the run itself.
PRICE_SCALE_AIA = 100.0  # a run costing this much AIA scores the worst cost (1.0)


def timeliness(started: datetime, finished: datetime, expected_seconds: float) -> float:
    """1.0 when the run took no longer than expected, falling as it takes longer."""
    took = (finished - started).total_seconds()
    return 1.0 if took <= expected_seconds else max(0.0, min(1.0, expected_seconds / took))


def cost(charged_minor: int) -> float:
    """The run's price on the scale every observed task is scored on."""
    return min(1.0, charged_minor / 1_000_000 / PRICE_SCALE_AIA)


class AgentRewardsDue(EventData, event_type="tech.013a.agent.rewards.due"):
    """Daily: pay the agent reward pools for `day` (default: the day before the firing)."""

    day: date | None = None


class AgentReportDue(EventData, event_type="tech.013a.agent.report.due"):
    """Weekly: start the agent performance report journey for `week` (ISO, e.g.
    2026-W02; default: the week before the firing)."""

    week: Annotated[str, AfterValidator(checked_week)] | None = None
