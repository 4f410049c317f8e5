"""What an executed proposal means is governance's to say: `apply-governance-decisions`
turns it into the simulation's own policy change for the live economy, once however
often it is delivered; the topic's other proposal events, and a policy the simulation
would refuse, change nothing. (tests/test_end_to_end.py follows a real proposal into
the live economy's tax brackets.)"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from shared.events.envelope import new_event
from shared.governance.events import ProposalExecuted, ProposalQueued
from shared.runtime.local import LocalRuntime
from shared.simulation.events import SimulationPolicyChanged
from shared.simulation.params import SimulationParams
from tests.support.api import ApiClient

NOW = datetime(2026, 1, 1, tzinfo=UTC)
FACTS: dict[str, Any] = {
    "title": "Basic income",
    "summary": "",
    "proposer_id": "carol",
    "snapshot_at": NOW,
    "voting_ends_at": NOW,
}


def policy_changes(runtime: LocalRuntime) -> dict[str, dict[str, Any]]:
    """The policy changes published, by event id (a redelivery republishes the same)."""
    return {
        m.attributes["ce-id"]: json.loads(m.data)
        for m in runtime.bus.messages("simulation-policy")
        if m.attributes["ce-type"] == SimulationPolicyChanged.event_type
    }


def test_an_executed_proposal_becomes_the_live_economys_policy_change_once(
    app_runtime: LocalRuntime,
) -> None:
    executed = new_event(
        ProposalExecuted(
            proposal_id="7",
            state="Executed",
            changes={"fiscal": {"basic_income": 0.05}},
            actions=[{"type": "transfer_policy", "basic_income": 0.05}],
            **FACTS,
        ),
        time=NOW,
    )
    queued = new_event(ProposalQueued(proposal_id="7", state="Queued", **FACTS), time=NOW)
    for event in (queued, executed, executed):  # the second delivery is a redelivery
        app_runtime.bus.publish(event)
    app_runtime.dispatcher.drain()

    assert list(policy_changes(app_runtime).values()) == [
        {
            "simulation_id": "live",
            "changes": {"fiscal": {"basic_income": 0.05}},
            "reason": "governance proposal 7: Basic income",
            "decided_by": {"proposal_id": 7, "title": "Basic income"},
        }
    ]


def test_the_economy_policy_shows_the_executed_change_and_its_proposal(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    reader = api.anonymous()
    document = reader.get("/openapi.json").json
    described = document["paths"]["/v1/economy/policy"]["get"]["responses"]["200"]
    assert described["content"]["application/json"]["schema"]["$ref"].endswith("/EconomyPolicy")
    schema = document["components"]["schemas"]["EconomyPolicy"]["properties"]
    assert {"policy", "changed_by_proposal", "last_change"} <= set(schema)
    before = reader.get("/v1/economy/policy")
    assert before.status_code == 200
    assert before.json["started"] is False  # its schedule has not run yet
    assert before.json["changed_by_proposal"] is None and before.json["last_change"] is None
    assert before.json["policy"]["fiscal"]["basic_income"] == 0.0
    assert before.json["policy"] == SimulationParams().policy.model_dump(mode="json")

    executed = ProposalExecuted(
        proposal_id="12",
        state="Executed",
        changes={"fiscal": {"basic_income": 0.05}},
        actions=[{"type": "transfer_policy", "basic_income": 0.05}],
        **FACTS,
    )
    app_runtime.bus.publish(new_event(executed, time=NOW))
    app_runtime.dispatcher.drain()

    after = reader.get("/v1/economy/policy").json
    # decided before the schedule started the live economy: the decision started it
    assert after["started"] is True
    assert after["policy"]["fiscal"]["basic_income"] == 0.05
    proposal = {"id": 12, "title": "Basic income", "url": "/v1/governance/proposals/12"}
    assert after["changed_by_proposal"] == proposal
    assert after["last_change"]["changes"] == {"fiscal": {"basic_income": 0.05}}
    assert after["last_change"]["proposal"] == proposal
    assert after["last_change"]["applied_at"].endswith("Z")  # a UTC time, said so
    live = app_runtime.features.simulations.record("live")
    assert live is not None and live.params.policy.fiscal.basic_income == 0.05


def test_a_policy_the_simulation_refuses_is_not_passed_on(
    app_runtime: LocalRuntime, caplog: pytest.LogCaptureFixture
) -> None:
    refused = ProposalExecuted(
        proposal_id="8",
        state="Executed",
        changes={"fiscal": {"basic_income": -1.0}},
        actions=[],
        **FACTS,
    )
    app_runtime.bus.publish(new_event(refused, time=NOW))
    with caplog.at_level(logging.ERROR, logger="aia.governance"):
        app_runtime.dispatcher.drain()
    assert policy_changes(app_runtime) == {}
    # said once, and acknowledged: no retry can make the policy valid
    assert [r.getMessage() for r in caplog.records if r.name == "aia.governance"] == [
        "executed proposal carries a policy the simulation refuses; not applied"
    ]
