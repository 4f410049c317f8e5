"""The performance score, pure and documented (docs/decisions/0011-agents.md).

A task's score is a weighted sum of its five measures, each in [0, 1]; `cost` is the
task's normalised cost, so cheaper work scores higher through `1 - cost`:

    task = 0.30 accuracy + 0.20 completeness + 0.15 timeliness + 0.25 quality + 0.10 (1 - cost)

An agent's score over a period of P days ending on day T is the decay-weighted mean of
its task scores, where every task recorded on day d weighs 2 ** (-(T - d) / half_life):

    score = sum_d w_d * (sum of task scores on d) / sum_d w_d * (tasks on d)

so a task a half-life old counts half as much as one from day T. An agent is ranked only
with at least `min_tasks` tasks in the period; ranks go by score, then by tasks, then by
agent id (a total order, so every run ranks the same way); scores are compared to six
decimals. What rewards pay is in reward_split.py: a rank earns nothing by itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Period = Literal["day", "week", "month"]
PERIOD_DAYS: dict[str, int] = {"day": 1, "week": 7, "month": 30}
MEASURES = ("accuracy", "completeness", "timeliness", "quality", "cost")
WEIGHTS: dict[str, float] = {
    "accuracy": 0.30,
    "completeness": 0.20,
    "timeliness": 0.15,
    "quality": 0.25,
    "cost": 0.10,  # applied to 1 - cost: cheaper is better
}
SCORE_UNITS = 1_000_000  # scores as integers of this many parts (ties, reward weights)


@dataclass(frozen=True)
class Scoring:
    """How standings are made (settings `agent_score_half_life_days`, `agent_min_tasks`)."""

    half_life_days: float
    min_tasks: int


@dataclass(frozen=True)
class TaskMeasures:
    accuracy: float
    completeness: float
    timeliness: float
    quality: float
    cost: float

    def __post_init__(self) -> None:
        for name in MEASURES:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {value}")

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in MEASURES}


def task_score(m: TaskMeasures) -> float:
    return (
        WEIGHTS["accuracy"] * m.accuracy
        + WEIGHTS["completeness"] * m.completeness
        + WEIGHTS["timeliness"] * m.timeliness
        + WEIGHTS["quality"] * m.quality
        + WEIGHTS["cost"] * (1.0 - m.cost)
    )


def decay_weight(age_days: int, half_life_days: float) -> float:
    return float(2.0 ** (-age_days / half_life_days))


def window(as_of: date, period: Period) -> tuple[date, date]:
    """The first and last day (inclusive) of the period ending on `as_of`."""
    return as_of - timedelta(days=PERIOD_DAYS[period] - 1), as_of


@dataclass(frozen=True)
class DayTally:
    """One agent's tasks of one day (of one task type, or all): the day bucket's sums."""

    agent_id: str
    day: date
    tasks: int
    score_sum: float
    observed_tasks: int = 0  # of `tasks`, those the platform ran (the rest self-reported)


@dataclass(frozen=True)
class Standing:
    agent_id: str
    score: float
    tasks: int
    rank: int | None  # None: fewer than min_tasks in the period
    observed_tasks: int = 0


def paid_weight(paid_minor: int, score: float) -> int:
    """AIA paid for a task times its score, in whole minor units (never above the AIA)."""
    return paid_minor * round(score * SCORE_UNITS) // SCORE_UNITS


def agent_score(
    tallies: Iterable[DayTally], as_of: date, half_life_days: float
) -> tuple[float, int]:
    """(decayed mean task score, number of tasks) of one agent's tallies up to `as_of`."""
    weighted_sum = weighted_count = 0.0
    tasks = 0
    for tally in tallies:
        age = (as_of - tally.day).days
        if age < 0 or tally.tasks <= 0:
            continue
        w = decay_weight(age, half_life_days)
        weighted_sum += w * tally.score_sum
        weighted_count += w * tally.tasks
        tasks += tally.tasks
    return (weighted_sum / weighted_count if weighted_count else 0.0), tasks


def standings(
    tallies: Iterable[DayTally], as_of: date, half_life_days: float, min_tasks: int
) -> list[Standing]:
    """Every agent with tasks in `tallies`: the ranked ones first, in rank order, then the
    unranked ones (by score)."""
    by_agent: dict[str, list[DayTally]] = {}
    for tally in tallies:
        by_agent.setdefault(tally.agent_id, []).append(tally)
    scored = []
    for agent_id, own in by_agent.items():
        score, tasks = agent_score(own, as_of, half_life_days)
        if tasks:
            observed = sum(t.observed_tasks for t in own if t.day <= as_of)
            scored.append((agent_id, score, tasks, observed))
    # compared at six decimals, so float noise never decides a tie
    scored.sort(key=lambda s: (-round(s[1] * SCORE_UNITS), -s[2], s[0]))
    ranked = [s for s in scored if s[2] >= min_tasks]
    unranked = [s for s in scored if s[2] < min_tasks]
    result = [Standing(a, score, n, i + 1, seen) for i, (a, score, n, seen) in enumerate(ranked)]
    return result + [Standing(a, score, n, None, seen) for a, score, n, seen in unranked]
