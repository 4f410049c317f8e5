"""Venture reports and simulations run on behalf of an agent record its task
automatically, scored from the run itself."""

from __future__ import annotations

from shared.runtime.local import LocalRuntime
from tests.support.api import ApiClient
from tests.venture.conftest import report_body


def test_reports_and_simulations_become_the_agents_tasks(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    alice = api.user("alice")
    agent = alice.post(
        "/v1/agents",
        json={"name": "analyst", "capabilities": ["analysis"], "model_provider": "local"},
    ).json["agent_id"]

    report_id = alice.post("/v1/venture/reports", json=report_body(agent_id=agent)).json["id"]
    assert app_runtime.workflows is not None
    app_runtime.workflows.wait(f"venture-report-{report_id}", timeout=30)
    simulation = alice.post(
        "/v1/simulations", json={"households": 200, "ticks": 2, "seed": 3, "agent_id": agent}
    ).json["id"]
    app_runtime.dispatcher.drain()
    alice.log_in_again()

    assert alice.get(f"/v1/simulations/{simulation}").json["status"] == "completed"
    view = alice.get(f"/v1/agents/{agent}").json
    assert view["performance"]["tasks"] == 2
    # a stranger's agent id records nothing (the agents feature drops it)
    bob = api.user("bob")
    bob.post("/v1/simulations", json={"households": 200, "ticks": 1, "seed": 3, "agent_id": agent})
    app_runtime.dispatcher.drain()
    alice.log_in_again()
    assert alice.get(f"/v1/agents/{agent}").json["performance"]["tasks"] == 2
