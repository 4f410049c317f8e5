"""Venture reports and simulations run on behalf of an agent record its task
automatically, scored from the run itself, as observed work with the AIA it cost."""

from __future__ import annotations

import pytest

from shared.agents.records import TASKS
from shared.money import to_minor
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.support.api import ApiClient
from tests.venture.conftest import report_body


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Paid work, and a welcome grant to pay for it."""
    return settings.model_copy(
        update={"prices": {"simulation": "2", "venture_report": "1"}, "signup_grant_aia": "10"}
    )


def test_reports_and_simulations_become_the_agents_tasks(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    alice = api.user("alice")
    app_runtime.dispatcher.drain()  # the welcome grant
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
    assert view["performance"]["observed_tasks"] == 2
    # each task carries what its run was charged, which rewards weigh
    charged = sum(
        int(d["charged_aia_minor"])
        for _, d in app_runtime.platform.documents.query("venture_reports")
    ) + to_minor(alice.get(f"/v1/simulations/{simulation}").json["charged_aia"])
    tasks = app_runtime.platform.documents.query(TASKS)
    assert charged == to_minor("3")
    assert sum(d["paid_minor"] for _, d in tasks) == charged
    # a stranger's agent id records nothing (the agents feature drops it)
    bob = api.user("bob")
    app_runtime.dispatcher.drain()
    stranger = {"households": 200, "ticks": 1, "seed": 3, "agent_id": agent}
    assert bob.post("/v1/simulations", json=stranger).status_code == 202
    app_runtime.dispatcher.drain()
    alice.log_in_again()
    assert alice.get(f"/v1/agents/{agent}").json["performance"]["tasks"] == 2
