"""Performance records: validated measures (400 naming the field), once per task id (a
replay returns the first record, other values are 409), and the same through the
`tech.013a.agent.task.completed` event other features publish. A record posted by the
owner is self-reported, one from the event observed (with the AIA paid for it); the day
bucket keeps the two apart."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.adapters.local.clock import ManualClock
from shared.agents.records import DAYS, TASKS, day_doc_id
from shared.money import to_minor
from shared.runtime.local import LocalRuntime
from tests.agents.helpers import metric, publish_task_completed, register, uniform
from tests.support.api import ApiClient

TASK = {
    "task_id": "report-42",
    "task_type": "venture_report",
    "accuracy": 0.9,
    "completeness": 0.8,
    "timeliness": 1.0,
    "quality": 0.7,
    "cost": 0.2,
}


def test_a_record_is_kept_once_per_task_id(api: ApiClient, clock: ManualClock) -> None:
    alice = api.user("alice")
    agent_id = register(alice, "Analyst")
    path = f"/v1/agents/{agent_id}/performance"
    before = metric("aia_agent_tasks_total", task_type="venture_report")

    first = alice.post(path, json=TASK)
    assert first.status_code == 201, first.get_data(as_text=True)
    assert first.json["score"] == pytest.approx(0.835)  # 0.27 + 0.16 + 0.15 + 0.175 + 0.08
    assert first.json["replayed"] is False
    assert first.json["origin"] == "self_reported"
    assert first.json["recorded_at"].startswith("2026-03-04T10:00:00")

    clock.advance(60)
    again = alice.post(path, json=TASK)
    assert again.status_code == 200
    assert again.json == {**first.json, "replayed": True}  # the first record, not a new one

    changed = alice.post(path, json={**TASK, "accuracy": 0.5})
    assert changed.status_code == 409
    assert changed.json["type"].endswith("/task-conflict")
    retyped = alice.post(path, json={**TASK, "task_type": "simulation"})
    assert retyped.status_code == 409

    bucket = api.platform.documents.get(DAYS, day_doc_id(agent_id, clock.now().date()))
    assert bucket is not None
    assert bucket["tasks"] == 1
    assert bucket["by_type"] == {
        "venture_report": {"tasks": 1, "score_sum": pytest.approx(0.835), "observed_tasks": 0}
    }
    # a self report is in the bucket's totals, and nothing of it is observed or paid
    assert bucket["observed"] == {"tasks": 0, "score_sum": 0.0, "paid_minor": 0, "weight_minor": 0}
    assert metric("aia_agent_tasks_total", task_type="venture_report") == before + 1
    # the same task id on another agent is another task
    other = register(alice, "Second")
    assert alice.post(f"/v1/agents/{other}/performance", json=TASK).status_code == 201

    # exported for the dashboards; a task type outside the known ones is labelled "other"
    others = metric("aia_agent_tasks_total", task_type="other")
    custom = {**TASK, "task_id": "c-1", "task_type": "my-own-type"}
    assert alice.post(f"/v1/agents/{other}/performance", json=custom).status_code == 201
    assert metric("aia_agent_tasks_total", task_type="other") == others + 1
    exported = api.anonymous().get("/metrics").get_data(as_text=True)
    assert 'aia_agent_tasks_total{task_type="venture_report"}' in exported
    assert 'aia_agent_score_bucket{le="0.9",task_type="venture_report"}' in exported


BAD = [
    ({"accuracy": 1.5}, "accuracy"),
    ({"completeness": -0.1}, "completeness"),
    ({"timeliness": "fast"}, "timeliness"),
    ({"quality": None}, "quality"),
    ({"cost": 2}, "cost"),
    ({"task_id": ""}, "task_id"),
    ({"task_type": "Not A Slug"}, "task_type"),
    ({"extra": 1}, "extra"),
]


def test_bad_measures_are_400_naming_the_field(api: ApiClient) -> None:
    alice = api.user("alice")
    agent_id = register(alice, "Analyst")
    for change, field in BAD:
        response = alice.post(f"/v1/agents/{agent_id}/performance", json={**TASK, **change})
        assert response.status_code == 400, change
        assert response.content_type == "application/problem+json"
        assert [e["field"] for e in response.json["errors"]] == [field], change
    assert api.platform.documents.query(TASKS) == []


def test_missing_fields_are_named(api: ApiClient) -> None:
    alice = api.user("alice")
    agent_id = register(alice, "Analyst")
    response = alice.post(f"/v1/agents/{agent_id}/performance", json={"task_id": "x"})
    assert response.status_code == 400
    assert {e["field"] for e in response.json["errors"]} == {
        "task_type",
        "accuracy",
        "completeness",
        "timeliness",
        "quality",
        "cost",
    }


def test_other_features_record_through_the_task_event(
    api: ApiClient, app_runtime: LocalRuntime, clock: ManualClock
) -> None:
    alice, mallory = api.user("alice"), api.user("mallory")
    agent_id = register(alice, "Simulator")
    before = metric("aia_agent_tasks_total", task_type="simulation")
    task = dict(agent_id=agent_id, owner_id=alice.user_id, task_id="sim-7", task_type="simulation")

    paid = {"paid_minor": to_minor("10")}
    bus = app_runtime.platform.events
    first = publish_task_completed(bus, clock.now(), **task, **uniform(0.8), **paid)
    again = publish_task_completed(bus, clock.now(), **task, **uniform(0.8), **paid)
    assert first.id == again.id  # a retried step publishes the same event
    # an event naming someone else's agent records nothing (and is not retried forever)
    publish_task_completed(
        bus,
        clock.now(),
        **{**task, "owner_id": mallory.user_id, "task_id": "x"},
        **uniform(0.8),
    )
    app_runtime.dispatcher.drain()
    # a redelivery of the first event, after it was applied
    app_runtime.bus.publish(first)
    clock.advance(timedelta(minutes=5).total_seconds())
    app_runtime.dispatcher.drain()

    tasks = app_runtime.platform.documents.query(TASKS)
    assert [(d["task_id"], d["source"]) for _, d in tasks] == [("sim-7", "event")]
    assert tasks[0][1]["score"] == pytest.approx(0.8)
    assert (tasks[0][1]["origin"], tasks[0][1]["paid_minor"]) == ("observed", to_minor("10"))
    bucket = app_runtime.platform.documents.get(DAYS, day_doc_id(agent_id, clock.now().date()))
    assert bucket is not None and bucket["tasks"] == 1
    # observed, and paid for: 10 AIA, weighted by the score 0.8
    assert bucket["observed"] == {
        "tasks": 1,
        "score_sum": pytest.approx(0.8),
        "paid_minor": to_minor("10"),
        "weight_minor": to_minor("8"),
    }
    assert metric("aia_agent_tasks_total", task_type="simulation") == before + 1
    # the owner sees it over HTTP: a replay of the same task id is the event's record
    replay = alice.post(
        f"/v1/agents/{agent_id}/performance",
        json={"task_id": "sim-7", "task_type": "simulation", **uniform(0.8)},
    )
    assert replay.status_code == 200
    assert (replay.json["replayed"], replay.json["origin"]) == (True, "observed")
