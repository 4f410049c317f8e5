"""What the API and the pages say of agents, from one place: one agent's performance over
the reward period (its days, observed apart from self-reported), the ranking of a period
with each agent's public fields, and what an agent earned its owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shared.agents.feature import Agents
from shared.agents.performance_score import DayTally, Period, Standing, agent_score, window
from shared.agents.rankings import REWARD_PERIOD, live_standings
from shared.agents.records import agent_tallies
from shared.agents.registry import agent_names
from shared.agents.rewards import earned
from shared.ports.documents import Document


@dataclass(frozen=True)
class AgentPerformance:
    period: Period
    as_of: date
    score: float
    tasks: int
    observed_tasks: int
    rank: int | None
    min_tasks: int
    days: list[DayTally]  # the window's days with tasks, oldest first

    @property
    def self_reported_tasks(self) -> int:
        return self.tasks - self.observed_tasks


def agent_performance(agents: Agents, agent_id: str) -> AgentPerformance:
    """The agent's score and rank over the reward period ending today (the caller has
    checked the agent is the reader's)."""
    scoring = agents.scoring
    today = agents.clock.now().date()
    first, last = window(today, REWARD_PERIOD)
    own = agent_tallies(agents.documents, agent_id, first, last)
    score, tasks = agent_score(own, today, scoring.half_life_days)
    rank = next(
        (
            s.rank
            for s in live_standings(agents.documents, today, REWARD_PERIOD, scoring)
            if s.agent_id == agent_id
        ),
        None,
    )
    return AgentPerformance(
        period=REWARD_PERIOD,
        as_of=today,
        score=score,
        tasks=tasks,
        observed_tasks=sum(t.observed_tasks for t in own),
        rank=rank,
        min_tasks=scoring.min_tasks,
        days=sorted(own, key=lambda t: t.day),
    )


def ranked_agents(
    agents: Agents, period: Period, task_type: str | None = None
) -> list[tuple[Standing, Document]]:
    """The ranked agents of the period ending today, best first, with their documents
    (whose owner-free fields may be shown to anyone signed in)."""
    today = agents.clock.now().date()
    ranked = [
        s
        for s in live_standings(agents.documents, today, period, agents.scoring, task_type)
        if s.rank is not None
    ]
    docs = agent_names(agents.documents, [s.agent_id for s in ranked])
    return [(s, docs[s.agent_id]) for s in ranked if s.agent_id in docs]


def rewards_received(
    agents: Agents, agent_id: str, days: int
) -> tuple[list[Document], dict[str, int]]:
    """The agent's reward days over the last `days` (newest first) and their totals in
    minor units by token."""
    today = agents.clock.now().date()
    docs = earned(agents.documents, agent_id, today - timedelta(days=days), today)
    totals: dict[str, int] = {}
    for doc in docs:
        for token, amount in doc["amounts"].items():
            totals[token] = totals.get(token, 0) + int(amount)
    return list(reversed(docs)), totals
