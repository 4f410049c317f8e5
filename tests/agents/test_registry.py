"""The agent registry over HTTP: an owner registers and lists their own agents; another
user's agent is 404 everywhere; bad input is a 400 naming the field."""

from __future__ import annotations

from shared.adapters.local.clock import ManualClock
from tests.agents.helpers import register
from tests.support.api import ApiClient


def test_an_owner_registers_lists_and_reads_their_agents(
    api: ApiClient, clock: ManualClock
) -> None:
    alice, bob = api.user("alice"), api.user("bob")
    response = alice.post(
        "/v1/agents",
        json={
            "name": "  Market Analyst  ",
            "capabilities": ["market-sizing", "analysis", "analysis"],
            "model_provider": "anthropic",
        },
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    agent = response.json
    assert response.headers["Location"] == f"/v1/agents/{agent['agent_id']}"
    assert agent["name"] == "Market Analyst"
    assert agent["capabilities"] == ["market-sizing", "analysis"]  # deduplicated, in order
    assert agent["model_provider"] == "anthropic"
    assert "owner_id" not in agent
    clock.advance(1)  # listed in the order registered
    second = register(alice, "Cost Estimator")
    register(bob, "Bob's Bot")

    listed = alice.get("/v1/agents").json["agents"]
    assert [a["agent_id"] for a in listed] == [agent["agent_id"], second]
    assert [a["name"] for a in bob.get("/v1/agents").json["agents"]] == ["Bob's Bot"]

    detail = alice.get(f"/v1/agents/{agent['agent_id']}")
    assert detail.status_code == 200
    assert detail.json["performance"] == {
        "period": "week",
        "as_of": "2026-03-04",
        "score": 0.0,
        "tasks": 0,
        "observed_tasks": 0,
        "self_reported_tasks": 0,
        "rank": None,
        "min_tasks": 3,
        "days": [],
    }


def test_another_owners_agent_reads_as_missing(api: ApiClient) -> None:
    alice, bob = api.user("alice"), api.user("bob")
    agent_id = register(alice, "Private")
    for method, path, body in [
        ("GET", f"/v1/agents/{agent_id}", None),
        ("GET", f"/v1/agents/{agent_id}/rewards", None),
        (
            "POST",
            f"/v1/agents/{agent_id}/performance",
            {
                "task_id": "t1",
                "task_type": "analysis",
                "accuracy": 1,
                "completeness": 1,
                "timeliness": 1,
                "quality": 1,
                "cost": 0,
            },
        ),
    ]:
        response = bob.request(method, path, json=body)
        assert response.status_code == 404, f"{method} {path}"
        assert response.content_type == "application/problem+json"
        assert response.json["detail"] == f"no agent with id {agent_id}"
    assert bob.get("/v1/agents/not-an-agent").status_code == 404
    assert bob.get("/v1/agents").json["agents"] == []
    # bob's attempt recorded nothing
    assert api.platform.documents.query("agent_tasks") == []


def test_bad_registrations_name_the_field(api: ApiClient) -> None:
    alice = api.user("alice")
    cases = [
        ({"capabilities": [], "model_provider": "openai"}, "name"),
        ({"name": "   ", "model_provider": "openai"}, "name"),
        ({"name": "x" * 101, "model_provider": "openai"}, "name"),
        ({"name": "tab\there", "model_provider": "openai"}, "name"),
        ({"name": "ok", "model_provider": "Open AI"}, "model_provider"),
        ({"name": "ok"}, "model_provider"),
        ({"name": "ok", "model_provider": "openai", "capabilities": ["Bad Slug"]}, "capabilities"),
        ({"name": "ok", "model_provider": "openai", "capabilities": ["a"] * 21}, "capabilities"),
        ({"name": "ok", "model_provider": "openai", "owner": "someone-else"}, "owner"),
    ]
    for body, field in cases:
        response = alice.post("/v1/agents", json=body)
        assert response.status_code == 400, body
        assert response.content_type == "application/problem+json"
        assert [e["field"] for e in response.json["errors"]] == [field], body
    assert alice.get("/v1/agents").json["agents"] == []
    assert api.anonymous().post("/v1/agents", json={"name": "x"}).status_code == 401


def test_an_owner_has_at_most_the_configured_number_of_agents(api: ApiClient) -> None:
    alice = api.user("alice")
    for n in range(4):  # agent_max_per_owner in these tests
        register(alice, f"agent {n}")
    response = alice.post("/v1/agents", json={"name": "one more", "model_provider": "local"})
    assert response.status_code == 409
    assert response.json["type"].endswith("/agent-limit")
    assert len(alice.get("/v1/agents").json["agents"]) == 4
    register(api.user("bob"), "bob's first")  # the limit is per owner
