"""Small helpers for the agents tests: registering agents, recording tasks whose score
is a chosen value (observed, with the AIA paid for them, or self-reported), publishing a
finished task as another feature would, verifying an owner's email, moving the clock
with a fresh login, firing a scheduled job."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from shared.adapters.local.clock import ManualClock
from shared.agents.events import AgentTaskCompleted
from shared.agents.records import Recorded, record_task
from shared.events.envelope import Event, new_event
from shared.money import to_minor
from shared.observability.metrics import REGISTRY
from shared.ports.events import EventPublisher
from shared.runtime.local import LocalRuntime
from shared.runtime.scheduler import firing_event
from tests.support.api import PASSWORD, ApiClient, UserClient

TASK_NAMESPACE = uuid.UUID("5c2a8e61-0d3b-4e7f-9a41-013a0a6e0010")


def uniform(score: float) -> dict[str, float]:
    """Measures whose weighted task score is `score` (each measure `score`, cost 1 - it)."""
    return {
        "accuracy": score,
        "completeness": score,
        "timeliness": score,
        "quality": score,
        "cost": round(1.0 - score, 10),
    }


def register(user: UserClient, name: str, **extra: Any) -> str:
    body = {"name": name, "capabilities": ["analysis"], "model_provider": "anthropic", **extra}
    response = user.post("/v1/agents", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return str(response.json["agent_id"])


def record(
    runtime: LocalRuntime,
    user: UserClient,
    agent_id: str,
    task_id: str,
    score: float,
    task_type: str = "analysis",
    paid: str = "0",
) -> Recorded:
    """Record an observed task through the feature's own entry point (as other features
    do), whose owner paid `paid` AIA for it."""
    return record_task(
        runtime.platform.documents,
        runtime.platform.clock.now(),
        agent_id=agent_id,
        owner_id=user.user_id,
        task_id=task_id,
        task_type=task_type,
        **uniform(score),
        paid_minor=to_minor(paid),
    )


def self_report(user: UserClient, agent_id: str, task_id: str, score: float) -> None:
    """The owner posts a task over HTTP, as anyone can."""
    body = {"task_id": task_id, "task_type": "analysis", **uniform(score)}
    response = user.post(f"/v1/agents/{agent_id}/performance", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)


def verify(api: ApiClient, *owners: UserClient) -> None:
    """The owners follow the verification link of their welcome email."""
    for owner in owners:
        api.verify(owner.user_id)


def login(api: ApiClient, user: UserClient) -> UserClient:
    """A fresh access token (tokens expire against the platform clock the tests move)."""
    tokens = api.client.post("/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.get_data(as_text=True)
    user.headers["Authorization"] = f"Bearer {tokens.json['access_token']}"
    return user


def move_to(clock: ManualClock, moment: datetime, api: ApiClient, *users: UserClient) -> None:
    clock.set(moment)
    for user in users:
        login(api, user)


def fire(runtime: LocalRuntime, schedule_name: str, at: datetime) -> Event:
    """Publish a scheduled job's firing the way Cloud Scheduler's stand-in does, then
    deliver everything pending."""
    schedule = next(s for s in runtime.platform.manifest.schedules if s.name == schedule_name)
    event = firing_event(schedule, at)
    runtime.bus.publish(event)
    runtime.dispatcher.drain()
    return event


def metric(name: str, **labels: str) -> float:
    return float(REGISTRY.get_sample_value(name, labels) or 0.0)


def publish_task_completed(
    publisher: EventPublisher,
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
    paid_minor: int = 0,
) -> Event:
    """Publish a finished task as another feature would from outside an event handler (a
    workflow step, say): the event id derives from (agent, task), so a retried step
    publishes the same event (inside a handler: `ctx.emit(AgentTaskCompleted(...))`)."""
    task = AgentTaskCompleted(
        agent_id=agent_id,
        owner_id=owner_id,
        task_id=task_id,
        task_type=task_type,
        accuracy=accuracy,
        completeness=completeness,
        timeliness=timeliness,
        quality=quality,
        cost=cost,
        paid_minor=paid_minor,
    )
    event = new_event(
        task,
        source="agents",
        event_id=str(uuid.uuid5(TASK_NAMESPACE, f"{task.agent_id}\x1f{task.task_id}")),
        time=now,
    )
    publisher.publish(event)
    return event
