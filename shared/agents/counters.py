"""Agent metrics on the platform's registry (exported at /metrics) for the Business
Intelligence dashboard: tasks recorded, their scores, and rewards paid."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from shared.observability.metrics import REGISTRY

agent_tasks = Counter(
    "aia_agent_tasks_total",
    "Agent tasks recorded (a replayed record is not counted again), by task type.",
    ["task_type"],
    registry=REGISTRY,
)
agent_score = Histogram(
    "aia_agent_score",
    "Performance score of each recorded agent task (0 to 1), by task type.",
    ["task_type"],
    buckets=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
    registry=REGISTRY,
)
agent_rewards = Counter(
    "aia_agent_rewards_total",
    "Tokens paid to agent owners by the daily reward job (whole tokens), by token.",
    ["token"],
    registry=REGISTRY,
)


# Task types are free slugs; only these become label values (the rest count as "other"),
# so a caller cannot grow the metric's cardinality without bound.
LABELLED_TASK_TYPES = frozenset(
    {"venture_report", "simulation", "analysis", "research", "forecast", "report", "code", "data"}
)


def task_label(task_type: str) -> str:
    return task_type if task_type in LABELLED_TASK_TYPES else "other"


def observe_task(task_type: str, score: float) -> None:
    label = task_label(task_type)
    agent_tasks.labels(label).inc()
    agent_score.labels(label).observe(score)


def count_reward(token: str, tokens: float) -> None:
    agent_rewards.labels(token).inc(tokens)
