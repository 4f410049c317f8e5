"""Rankings over HTTP, by hand: decay makes recent work count more, agents with fewer than
the minimum tasks are left out, task type and period filter, self-reported tasks count
and are marked, and nothing names an owner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.adapters.local.clock import ManualClock
from shared.runtime.local import LocalRuntime
from tests.agents.helpers import login, record, register, self_report
from tests.support.api import ApiClient

T = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def ranked(response_json: dict[str, object]) -> list[tuple[int, str, float, int]]:
    rows = response_json["rankings"]
    assert isinstance(rows, list)
    return [(r["rank"], r["name"], r["score"], r["tasks"]) for r in rows]


def test_rankings_weigh_recent_work_and_require_a_minimum_of_tasks(
    api: ApiClient, app_runtime: LocalRuntime, clock: ManualClock
) -> None:
    alice, bob, carol = api.user("alice"), api.user("bob"), api.user("carol")
    analyst = register(alice, "Analyst")
    simulator = register(bob, "Simulator", model_provider="openai")
    newbie = register(bob, "Newbie")
    veteran = register(carol, "Veteran")

    def on(day_offset: int) -> None:
        clock.set(T + timedelta(days=day_offset))

    on(-14)
    for n in range(2):
        record(app_runtime, alice, analyst, f"old-{n}", 0.6)
    on(-1)
    login(api, carol)
    for n in range(3):
        self_report(carol, veteran, f"v-{n}", 0.9)  # the veteran's record is its own word
    on(0)
    for n in range(2):
        record(app_runtime, alice, analyst, f"new-{n}", 1.0)
        record(app_runtime, bob, newbie, f"n-{n}", 1.0)
    for n in range(3):
        record(app_runtime, bob, simulator, f"s-{n}", 0.85, task_type="simulation")
    login(api, carol)

    week = carol.get("/v1/agents/rankings")
    assert week.status_code == 200, week.get_data(as_text=True)
    assert week.json["period"] == "week"
    assert week.json["as_of"] == "2026-03-04"
    assert week.json["min_tasks"] == 3
    # the analyst has only 2 tasks this week and the newbie 2: neither is ranked
    assert ranked(week.json) == [(1, "Veteran", 0.9, 3), (2, "Simulator", 0.85, 3)]
    assert [(r["observed_tasks"], r["self_reported_tasks"]) for r in week.json["rankings"]] == [
        (0, 3),
        (3, 0),
    ]

    month = carol.get("/v1/agents/rankings?period=month").json
    # analyst: (0.25 * 2 * 0.6 + 1 * 2 * 1.0) / (0.25 * 2 + 1 * 2) = 2.3 / 2.5 = 0.92;
    # without decay it would be 0.8, behind the simulator's 0.85
    assert ranked(month) == [
        (1, "Analyst", pytest.approx(0.92), 4),
        (2, "Veteran", pytest.approx(0.9), 3),
        (3, "Simulator", pytest.approx(0.85), 3),
    ]
    analysis = carol.get("/v1/agents/rankings?period=month&task_type=analysis").json
    assert [r[1] for r in ranked(analysis)] == ["Analyst", "Veteran"]
    simulation = carol.get("/v1/agents/rankings?period=month&task_type=simulation").json
    assert [r[1] for r in ranked(simulation)] == ["Simulator"]
    assert simulation["rankings"][0]["model_provider"] == "openai"
    today = carol.get("/v1/agents/rankings?period=day").json
    assert [r[1] for r in ranked(today)] == ["Simulator"]
    top = carol.get("/v1/agents/rankings?period=month&limit=1").json
    assert [r[1] for r in ranked(top)] == ["Analyst"]

    # public to signed-in users, and owner-free
    text = month.__repr__()
    for user in (alice, bob, carol):
        assert user.user_id not in text and user.email not in text
    assert all(
        set(r)
        == {
            "rank",
            "agent_id",
            "name",
            "model_provider",
            "capabilities",
            "score",
            "tasks",
            "observed_tasks",
            "self_reported_tasks",
        }
        for r in month["rankings"]
    )
    assert api.anonymous().get("/v1/agents/rankings").status_code == 401
    bad = carol.get("/v1/agents/rankings?period=year")
    assert bad.status_code == 400
    assert [e["field"] for e in bad.json["errors"]] == ["period"]

    # the owner's own view agrees with the week's rankings
    login(api, bob)
    detail = bob.get(f"/v1/agents/{simulator}").json["performance"]
    assert (detail["rank"], detail["score"], detail["tasks"]) == (2, 0.85, 3)
    assert (detail["observed_tasks"], detail["self_reported_tasks"]) == (3, 0)
    unranked = bob.get(f"/v1/agents/{newbie}").json["performance"]
    assert (unranked["rank"], unranked["score"], unranked["tasks"]) == (None, 1.0, 2)
