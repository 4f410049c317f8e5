"""Nobody reads or changes what belongs to someone else: for every resource type, a
second user gets 404 (not 403: ids cannot be probed). Each feature adds its resource
here: a function that creates one as `owner` and returns the requests to try."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.support.api import ApiClient, UserClient

Probe = Callable[[UserClient], list[tuple[str, str, dict]]]  # type: ignore[type-arg]


def api_key(owner: UserClient) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    key_id = owner.post("/v1/api-keys", json={"name": "mine"}).json["id"]
    return [("DELETE", f"/v1/api-keys/{key_id}", {})]


def agent(owner: UserClient) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    body = {"name": "mine", "capabilities": ["analysis"], "model_provider": "local"}
    agent_id = owner.post("/v1/agents", json=body).json["agent_id"]
    task = {"task_id": "t-1", "task_type": "analysis", "accuracy": 0.9, "completeness": 0.9}
    task |= {"timeliness": 0.9, "quality": 0.9, "cost": 0.1}
    return [
        ("GET", f"/v1/agents/{agent_id}", {}),
        ("GET", f"/v1/agents/{agent_id}/rewards", {}),
        ("POST", f"/v1/agents/{agent_id}/performance", task),
    ]


def venture_report(owner: UserClient) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    from tests.venture.conftest import report_body

    report_id = owner.post("/v1/venture/reports", json=report_body()).json["id"]
    return [("GET", f"/v1/venture/reports/{report_id}", {})]


def venture_dataset(owner: UserClient) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    sector = {
        "id": "private-robotics",
        "name": "Private robotics",
        "naics": ["333"],
        "market_size_usd": 1e9,
        "year": 2024,
        "cagr": 0.1,
        "regions": {"north_america": 0.5, "europe": 0.5},
        "source": {"name": "Own research", "year": 2024},
    }
    upload = {"name": "mine", "format": "json", "content": json.dumps([sector])}
    created = owner.post("/v1/venture/datasets", json=upload)
    assert created.status_code == 201, created.get_data(as_text=True)
    dataset_id = created.json["id"]
    analysis = {
        "sector": "private-robotics",
        "dataset": dataset_id,
        "region": "europe",
        "customers": 100,
        "price_per_year": 1000,
        "adoption": 5,
    }
    return [("POST", "/v1/venture/market-analysis", analysis)]


def simulation(owner: UserClient) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    created = owner.post("/v1/simulations", json={"households": 200, "ticks": 3})
    assert created.status_code == 202, created.get_data(as_text=True)
    simulation_id = created.json["id"]
    policy = {"changes": {"fiscal": {"basic_income": 0.1}}}
    return [
        ("GET", f"/v1/simulations/{simulation_id}", {}),
        ("GET", f"/v1/simulations/{simulation_id}/metrics", {}),
        ("POST", f"/v1/simulations/{simulation_id}/policy", policy),
    ]


RESOURCES: dict[str, Probe] = {
    "api-key": api_key,
    "venture-report": venture_report,
    "venture-dataset": venture_dataset,
    "agent": agent,
    "simulation": simulation,
}


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_another_user_gets_404(api: ApiClient, resource: str) -> None:
    owner, stranger = api.user("owner"), api.user("stranger")
    for method, path, body in RESOURCES[resource](owner):
        response = stranger.request(method, path, json=body or None)
        assert response.status_code == 404, f"{method} {path} as a stranger"
        assert response.content_type == "application/problem+json"
        assert owner.request(method, path, json=body or None).status_code < 400
