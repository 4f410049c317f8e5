"""Performance records: one document per (agent, task) in `agent_tasks`, idempotent per
task id, and the agent's day bucket in `agent_days` updated in the same transaction.

Rankings and rewards read the day buckets, never the tasks: a period costs one document
per active agent and day. A task counts on the UTC day it is recorded (server time), so
once a day has ended its buckets never change and a reward for it is the same however
often it is computed.

Every record has an origin: `observed` when the platform ran the work and saw its
result (a feature's event or call), `self_reported` when the owner posted it. A bucket
keeps the observed part apart (`observed`: tasks, score sum, the AIA paid for the work
and that AIA weighted by each task's score), because only observed paid work earns
rewards; self reports count in rankings and history, marked, with no reward weight."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from shared.agents import counters
from shared.agents.performance_score import DayTally, TaskMeasures, paid_weight, task_score
from shared.agents.registry import AGENTS
from shared.errors import Conflict, NotFound
from shared.ports.documents import Document, DocumentStore, DocumentTransaction

log = logging.getLogger("aia.agents")

TASKS = "agent_tasks"
DAYS = "agent_days"

Origin = Literal["observed", "self_reported"]
OBSERVED: Origin = "observed"
SELF_REPORTED: Origin = "self_reported"
# `source` says which door a record came in by: the owner's POST is "api"; the task
# event ("event") and other features' direct calls ("platform") are work the platform ran
OBSERVED_SOURCES = frozenset({"event", "platform"})


def origin_of(source: str) -> Origin:
    """Anything but a platform door is self-reported (the safe default)."""
    return OBSERVED if source in OBSERVED_SOURCES else SELF_REPORTED


class TaskConflict(Conflict):
    """The task id was recorded for this agent with other measures or another type."""

    def __init__(self, task_id: str) -> None:
        super().__init__(
            f"task {task_id} was already recorded for this agent with different values",
            problem="task-conflict",
        )


@dataclass(frozen=True)
class Recorded:
    record: Document
    replayed: bool


def task_doc_id(agent_id: str, task_id: str) -> str:
    return hashlib.sha256(f"{agent_id}\x1f{task_id}".encode()).hexdigest()


def day_doc_id(agent_id: str, day: date) -> str:
    return f"{agent_id}:{day.isoformat()}"


def apply_task(
    tx: DocumentTransaction,
    *,
    agent_id: str,
    owner_id: str,
    task_id: str,
    task_type: str,
    measures: TaskMeasures,
    now: datetime,
    source: str,
    paid_minor: int = 0,
) -> Recorded:
    """Record one task inside `tx` (all reads come before the writes, as Firestore
    requires). NotFound for an agent that is missing or not `owner_id`'s; TaskConflict
    for a task id reused with other values. `paid_minor` (the AIA the owner paid for the
    work) counts for observed work only: a self report carries no payment."""
    agent = tx.get(AGENTS, agent_id)
    if agent is None or agent.get("owner_id") != owner_id:
        raise NotFound("agent", agent_id)
    doc_id = task_doc_id(agent_id, task_id)
    existing = tx.get(TASKS, doc_id)
    values = measures.as_dict()
    if existing is not None:
        same = existing["task_type"] == task_type and all(
            existing[k] == v for k, v in values.items()
        )
        if not same:
            raise TaskConflict(task_id)
        return Recorded(existing, replayed=True)
    day = now.date()
    bucket_id = day_doc_id(agent_id, day)
    bucket = tx.get(DAYS, bucket_id) or {
        "agent_id": agent_id,
        "day": day.isoformat(),
        "tasks": 0,
        "score_sum": 0.0,
        "by_type": {},
    }
    score = task_score(measures)
    origin = origin_of(source)
    paid = max(0, paid_minor) if origin == OBSERVED else 0
    weight = paid_weight(paid, score)
    record: Document = {
        "agent_id": agent_id,
        "owner_id": owner_id,
        "task_id": task_id,
        "task_type": task_type,
        **values,
        "score": score,
        "day": day.isoformat(),
        "recorded_at": now.isoformat(),
        "source": source,
        "origin": origin,
        "paid_minor": paid,
    }
    observed = int(origin == OBSERVED)
    by_type = dict(bucket["by_type"])
    typed = by_type.get(task_type, {"tasks": 0, "score_sum": 0.0})
    by_type[task_type] = {
        "tasks": typed["tasks"] + 1,
        "score_sum": typed["score_sum"] + score,
        "observed_tasks": typed.get("observed_tasks", 0) + observed,
    }
    seen = bucket.get("observed") or _NO_OBSERVED
    tx.create(TASKS, doc_id, record)
    tx.set(
        DAYS,
        bucket_id,
        {
            **bucket,
            "tasks": bucket["tasks"] + 1,
            "score_sum": bucket["score_sum"] + score,
            "by_type": by_type,
            "observed": {
                "tasks": seen["tasks"] + observed,
                "score_sum": seen["score_sum"] + (score if observed else 0.0),
                "paid_minor": seen["paid_minor"] + paid,
                "weight_minor": seen["weight_minor"] + weight,
            },
        },
    )
    return Recorded(record, replayed=False)


# a bucket written before origins were kept apart holds no observed work: its tasks
# carried no payment, so they would weigh nothing anyway
_NO_OBSERVED: dict[str, Any] = {"tasks": 0, "score_sum": 0.0, "paid_minor": 0, "weight_minor": 0}


def record_task(
    store: DocumentStore,
    now: datetime,
    *,
    agent_id: str,
    owner_id: str,
    task_id: str,
    task_type: str,
    accuracy: float,
    completeness: float,
    timeliness: float,
    quality: float,
    cost: float,
    source: str = "platform",
    paid_minor: int = 0,
) -> Recorded:
    """Record a task an agent finished, once per (agent, task id): a replay returns the
    first record, other values for the same task id raise TaskConflict, an agent that is
    not `owner_id`'s raises NotFound. For features that run work on behalf of an agent
    outside an event handler (pass the AIA the owner paid for it); inside one, emit
    `AgentTaskCompleted` instead. The HTTP route records self reports (`source="api"`).
    The task counts on the day of `now`."""
    measures = TaskMeasures(accuracy, completeness, timeliness, quality, cost)

    def apply(tx: DocumentTransaction) -> Recorded:
        return apply_task(
            tx,
            agent_id=agent_id,
            owner_id=owner_id,
            task_id=task_id,
            task_type=task_type,
            measures=measures,
            now=now,
            source=source,
            paid_minor=paid_minor,
        )

    recorded = store.run_transaction(apply)
    count_recorded(recorded)
    return recorded


def count_recorded(recorded: Recorded) -> None:
    if not recorded.replayed:
        counters.observe_task(recorded.record["task_type"], recorded.record["score"])
        log.info(
            "agent task recorded",
            extra={
                "agent_id": recorded.record["agent_id"],
                "task_type": recorded.record["task_type"],
            },
        )


def tallies(
    store: DocumentStore, first: date, last: date, task_type: str | None = None
) -> list[DayTally]:
    """Every agent's day buckets from `first` to `last` (inclusive): one range query."""
    rows = store.query(DAYS, [("day", ">=", first.isoformat()), ("day", "<=", last.isoformat())])
    return [t for _, doc in rows if (t := _tally(doc, task_type)) is not None]


def agent_tallies(
    store: DocumentStore, agent_id: str, first: date, last: date, task_type: str | None = None
) -> list[DayTally]:
    """One agent's day buckets, read by id (no index needed)."""
    found = []
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        doc = store.get(DAYS, day_doc_id(agent_id, date.fromordinal(ordinal)))
        if doc is not None and (t := _tally(doc, task_type)) is not None:
            found.append(t)
    return found


@dataclass(frozen=True)
class ObservedWork:
    """One agent's observed work of one day: what rewards are weighed by."""

    agent_id: str
    tasks: int
    paid_minor: int  # AIA the owner paid for it
    weight_minor: int  # that AIA, each task's part times its score


def observed_work(store: DocumentStore, day: date) -> list[ObservedWork]:
    """Every agent's observed work of `day` (one query), in agent id order."""
    rows = store.query(DAYS, [("day", "==", day.isoformat())])
    found = []
    for _, doc in rows:
        seen = doc.get("observed") or _NO_OBSERVED
        if seen["tasks"]:
            found.append(
                ObservedWork(
                    agent_id=doc["agent_id"],
                    tasks=int(seen["tasks"]),
                    paid_minor=int(seen["paid_minor"]),
                    weight_minor=int(seen["weight_minor"]),
                )
            )
    return sorted(found, key=lambda w: w.agent_id)


def _tally(doc: dict[str, Any], task_type: str | None) -> DayTally | None:
    if task_type is None:
        source = doc
        observed = int((doc.get("observed") or _NO_OBSERVED)["tasks"])
    else:
        source = doc["by_type"].get(task_type)
        observed = int((source or {}).get("observed_tasks", 0))
    if not source or not source["tasks"]:
        return None
    return DayTally(
        agent_id=doc["agent_id"],
        day=date.fromisoformat(doc["day"]),
        tasks=int(source["tasks"]),
        score_sum=float(source["score_sum"]),
        observed_tasks=observed,
    )
