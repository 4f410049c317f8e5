"""Rankings: live standings for a period, and the stored weekly standing at the close of
a finished day (`agent_standings/<day>`), which the reward memos quote and the weekly
report compares week to week. A stored standing is written once and read ever after, so
a rank change does not move when settings or late reads change. Standings count every
task, self-reported or observed, and say how many were observed; money does not follow
them (reward_split.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.agents.performance_score import Period, Scoring, Standing, standings, window
from shared.agents.records import tallies
from shared.ports.documents import Document, DocumentStore

STANDINGS = "agent_standings"
REWARD_PERIOD: Period = "week"


@dataclass(frozen=True)
class DayStanding:
    day: date
    standings: list[Standing]

    def by_agent(self) -> dict[str, Standing]:
        return {s.agent_id: s for s in self.standings}

    @property
    def ranked(self) -> list[Standing]:
        return [s for s in self.standings if s.rank is not None]


def live_standings(
    store: DocumentStore,
    as_of: date,
    period: Period,
    scoring: Scoring,
    task_type: str | None = None,
) -> list[Standing]:
    first, last = window(as_of, period)
    return standings(
        tallies(store, first, last, task_type), as_of, scoring.half_life_days, scoring.min_tasks
    )


def closed_day_standing(
    store: DocumentStore, day: date, today: date, scoring: Scoring
) -> DayStanding:
    """The weekly standing as the UTC day `day` closed; stored the first time it is
    asked for after that day has ended (before then, `day` >= `today`, it is computed
    and not stored)."""
    key = day.isoformat()
    doc = store.get(STANDINGS, key)
    if doc is None:
        computed = live_standings(store, day, REWARD_PERIOD, scoring)
        if day >= today:
            return DayStanding(day, computed)
        fresh: Document = {
            "day": key,
            "period": REWARD_PERIOD,
            "half_life_days": scoring.half_life_days,
            "min_tasks": scoring.min_tasks,
            "standings": [_dump(s) for s in computed],
        }
        if not store.create(STANDINGS, key, fresh):
            doc = store.get(STANDINGS, key)  # another run stored it first: theirs wins
        doc = doc or fresh
    return DayStanding(day, [_load(s) for s in doc["standings"]])


def _dump(s: Standing) -> dict[str, Any]:
    return {
        "agent_id": s.agent_id,
        "score": s.score,
        "tasks": s.tasks,
        "rank": s.rank,
        "observed_tasks": s.observed_tasks,
    }


def _load(d: dict[str, Any]) -> Standing:
    # standings stored before origins were kept apart count no observed tasks
    return Standing(
        d["agent_id"], float(d["score"]), int(d["tasks"]), d["rank"], d.get("observed_tasks", 0)
    )
