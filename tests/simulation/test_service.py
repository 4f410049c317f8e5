"""End to end through the local runtime: the API starts a simulation, the tick
function runs it to its horizon over events, the API serves its metrics and charts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest

from shared.events.codec import encode
from shared.events.envelope import new_event
from shared.events.outbox import relay
from shared.governance.events import ProposalExecuted
from shared.runtime.local import LocalRuntime
from shared.runtime.scheduler import firing_event
from shared.simulation import checkpoints
from shared.simulation.events import (
    LiveEconomyAdvanceRequested,
    SimulationPolicyChanged,
    SimulationTickRequested,
)
from shared.simulation.indicators import METRIC_FIELDS
from shared.simulation.params import SimulationParams, stored_params
from shared.simulation.store import SimulationRecord
from tests.simulation.stylised import simulate
from tests.support import svg
from tests.support.api import ApiClient

REQUIRED = [
    "tick",
    "gdp_nominal",
    "gdp_real",
    "gdp_growth",
    "labor_productivity",
    "unemployment_rate",
    "inflation",
    "policy_rate",
    "output_gap",
    "tax_revenue",
    "gini_income",
    "gini_wealth",
    "mean_health",
    "population",
    "aia_supply",
    "aia_velocity",
    "aia_gov_supply",
]


def _create(api: ApiClient, user: str = "alice", **body: object) -> str:
    reply = api.user(user).post("/v1/simulations", json={"households": 400, "seed": 4, **body})
    assert reply.status_code == 202, reply.get_json()
    payload = reply.get_json()
    assert payload["status"] == "queued"
    assert reply.headers["Location"] == f"/v1/simulations/{payload['id']}"
    return str(payload["id"])


def test_a_simulation_runs_to_its_horizon_and_serves_metrics_and_charts(
    api: ApiClient, app_runtime: LocalRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoints, "MAX_TICKS_PER_MESSAGE", 7)  # several messages, batches of 7
    simulation_id = _create(api, ticks=30)
    alice = api.user("alice")
    assert alice.get(f"/v1/simulations/{simulation_id}").get_json()["status"] == "queued"
    app_runtime.dispatcher.drain()

    view = alice.get(f"/v1/simulations/{simulation_id}").get_json()
    assert (view["status"], view["current_tick"], view["ticks"]) == ("completed", 30, 30)
    assert view["parameters"]["households"] == 400 and "unemployment_rate" in view["latest"]
    records = alice.get(f"/v1/simulations/{simulation_id}/metrics").get_json()["records"]
    assert [r["tick"] for r in records] == list(range(1, 31))
    assert set(REQUIRED) <= set(records[0]) and set(records[0]) == set(METRIC_FIELDS)
    assert all(0 <= r["unemployment_rate"] < 1 and 0 <= r["policy_rate"] < 0.5 for r in records)

    # stopped and resumed over five messages, the run equals one straight run
    straight = simulate(400, 30, 4, 0)
    assert records == [m.as_dict() for m in straight.records]

    chart = alice.get(f"/v1/simulations/{simulation_id}/charts/unemployment_rate.svg")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    drawn = svg.parse(chart.data)
    texts = svg.texts(drawn)
    assert "Unemployment rate" in texts and "Simulated years" in texts
    assert any(t and t.endswith("%") for t in texts)  # rates are labelled as percentages
    [line] = svg.drawn_lines(drawn)
    assert len(line) == 30
    assert alice.get(f"/v1/simulations/{simulation_id}/charts/nonsense.svg").status_code == 404
    page = alice.get(f"/v1/simulations/{simulation_id}/metrics?from_tick=28").get_json()
    assert [r["tick"] for r in page["records"]] == [29, 30]
    listed = alice.get("/v1/simulations").get_json()["simulations"]
    assert [s["id"] for s in listed] == [simulation_id]


def test_a_first_tick_the_bus_refuses_is_relayed_and_nothing_is_undone(
    api: ApiClient, app_runtime: LocalRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run, its charge and its first tick are one SQL commit; the first tick, with
    the run's parameters, is published after it, or later by the outbox relay."""
    alice = api.user("alice")
    app_runtime.dispatcher.drain()  # her sign-up's events
    bus = app_runtime.platform.events
    real_publish = bus.publish

    def down(event: Any) -> str:
        raise ConnectionError("pub/sub is down")

    monkeypatch.setattr(bus, "publish", down)
    simulation_id = _create(api, ticks=3)  # accepted: stored, to be announced
    assert alice.get(f"/v1/simulations/{simulation_id}").get_json()["status"] == "queued"
    assert app_runtime.bus.messages("simulation-ticks") == []
    monkeypatch.setattr(bus, "publish", real_publish)
    assert relay(app_runtime.features.outbox, bus) == 1
    [first] = app_runtime.bus.messages("simulation-ticks")
    request = SimulationTickRequested.model_validate_json(first.data)
    view = alice.get(f"/v1/simulations/{simulation_id}").get_json()
    assert request.params is not None
    assert request.params.model_dump(mode="json") == view["parameters"]
    app_runtime.dispatcher.drain()
    assert alice.get(f"/v1/simulations/{simulation_id}").get_json()["status"] == "completed"


def test_another_users_simulation_is_not_found(api: ApiClient, app_runtime: LocalRuntime) -> None:
    simulation_id = _create(api, ticks=3)
    app_runtime.dispatcher.drain()
    for path in ("", "/metrics", "/charts/gdp_real.svg"):
        reply = api.user("bob").get(f"/v1/simulations/{simulation_id}{path}")
        assert reply.status_code == 404
        assert reply.mimetype == "application/problem+json"
    assert api.anonymous().get(f"/v1/simulations/{simulation_id}").status_code == 401
    assert api.user("bob").get("/v1/simulations").get_json()["simulations"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"households": 10}, "households"),
        ({"ticks": 0}, "ticks"),
        (
            {"policy": {"monetary": {"inflation_response": -1}}},
            "policy.monetary.inflation_response",
        ),
        (
            {"policy": {"fiscal": {"tax_brackets": [{"threshold": 1, "rate": 0.2}]}}},
            "policy.fiscal.tax_brackets",
        ),
        # a flat 66 % tax: the average earner above the tested range (ADR 0049)
        (
            {"policy": {"fiscal": {"tax_brackets": [{"threshold": 0, "rate": 0.66}]}}},
            "policy.fiscal.tax_brackets",
        ),
        ({"policy": {"tokens": {"burn_rate": 2}}}, "policy.tokens.burn_rate"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(
    api: ApiClient, body: dict[str, object], field: str
) -> None:
    reply = api.user("alice").post("/v1/simulations", json=body)
    assert reply.status_code == 400
    assert reply.mimetype == "application/problem+json"
    assert field in [e["field"] for e in reply.get_json()["errors"]]


def test_a_duplicate_or_stale_tick_message_changes_nothing(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    simulation_id = _create(api, ticks=12)
    first = app_runtime.bus.messages("simulation-ticks")[0]
    app_runtime.dispatcher.drain()
    store = app_runtime.features.simulations
    before = store.load(simulation_id)
    assert before is not None and before.tick == 12
    # the same message again, and a stale request under a new id
    app_runtime.bus.publish_raw("simulation-ticks", first.data, first.attributes, simulation_id)
    stale = new_event(SimulationTickRequested(simulation_id=simulation_id, tick=5, ticks=3))
    app_runtime.bus.publish(stale)
    app_runtime.dispatcher.drain()
    after = store.load(simulation_id)
    assert after is not None
    assert (after.tick, bytes(after.state)) == (before.tick, bytes(before.state))
    assert len(store.metrics(simulation_id)) == 12


def test_a_lost_follow_up_is_published_again_on_redelivery(app_runtime: LocalRuntime) -> None:
    """The save committed but the delivery failed before its follow-ups went out: the
    redelivered request sees its own event id on the state and publishes them again."""
    params = SimulationParams(households=400, seed=9)
    now = app_runtime.platform.clock.now()
    event = new_event(SimulationTickRequested(simulation_id="sim-lost", tick=0, ticks=5))
    store = app_runtime.features.simulations
    simulation = SimulationRecord(
        simulation_id="sim-lost",
        owner_id="alice",
        status="queued",
        params=params,
        horizon=20,
        tick=0,
        latest={},
        charged_minor=0,
        agent_id=None,
        household_months=None,
        created_at=now,
        updated_at=now,
    )
    assert store.create(simulation, event)  # staged, not published: we publish it
    raw = encode(event)
    app_runtime.bus.publish_raw("simulation-ticks", raw.data, raw.attributes, "sim-lost")
    app_runtime.dispatcher.drain()
    assert store.tick_of("sim-lost") == 20
    # forget the processed marker (as if the commit of the delivery was lost) and redeliver
    from shared.events.once import PROCESSED, marker_id

    app_runtime.platform.documents.delete(PROCESSED, marker_id(f"advance-simulation:{event.id}"))
    app_runtime.bus.publish_raw("simulation-ticks", raw.data, raw.attributes, "sim-lost")
    app_runtime.dispatcher.drain()
    assert store.tick_of("sim-lost") == 20 and len(store.metrics("sim-lost")) == 20


def test_policy_changes_apply_between_ticks(
    api: ApiClient, app_runtime: LocalRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoints, "MAX_TICKS_PER_MESSAGE", 10)
    simulation_id = _create(api, ticks=40)
    alice = api.user("alice")
    bad = alice.post(
        f"/v1/simulations/{simulation_id}/policy",
        json={"changes": {"monetary": {"inflation_target": 3}}},
    )
    assert bad.status_code == 400
    assert bad.get_json()["errors"][0]["field"] == "changes.monetary.inflation_target"
    app_runtime.dispatcher.deliver_next()  # the first 10 months run before the change
    reply = alice.post(
        f"/v1/simulations/{simulation_id}/policy",
        json={"changes": {"monetary": {"inflation_target": 0.04}}, "reason": "test"},
    )
    assert reply.status_code == 202
    assert (
        api.user("bob")
        .post(f"/v1/simulations/{simulation_id}/policy", json={"changes": {}})
        .status_code
        == 404
    )
    app_runtime.dispatcher.drain()
    view = alice.get(f"/v1/simulations/{simulation_id}").get_json()
    assert view["parameters"]["policy"]["monetary"]["inflation_target"] == 0.04
    [change] = app_runtime.features.simulations.policy_changes(simulation_id)
    assert (change.tick, change.reason) == (10, "test")
    records = alice.get(f"/v1/simulations/{simulation_id}/metrics").get_json()["records"]
    unchanged = simulate(400, 40, 4, 0)
    assert records[:10] == [m.as_dict() for m in unchanged.records[:10]]
    assert records[10:] != [m.as_dict() for m in unchanged.records[10:]]


def test_a_policy_change_that_stored_brackets_put_out_of_bounds_is_refused_once(
    api: ApiClient, app_runtime: LocalRuntime, caplog: pytest.LogCaptureFixture
) -> None:
    """A run accepted before the average earner's tax bound (ADR 0036, addendum) keeps its
    brackets; a change to another lever would validate them again and fail the same way
    at every delivery, so the handler refuses it once (logged, acked), applies nothing
    and leaves the run's policy as it was."""
    simulation_id = _create(api, ticks=24)
    store = app_runtime.features.simulations
    record = store.record(simulation_id)
    assert record is not None
    raw = record.params.model_dump()
    raw["policy"]["fiscal"]["tax_brackets"] = [{"threshold": 0.0, "rate": 0.7}]
    accepted = stored_params(json.dumps(raw))
    now = app_runtime.platform.clock.now()
    assert store.apply_policy(simulation_id, accepted, {}, "before the bound", "e-old", now)
    change = SimulationPolicyChanged(
        simulation_id=simulation_id, changes={"monetary": {"inflation_target": 0.04}}
    )
    app_runtime.bus.publish(new_event(change))
    app_runtime.dispatcher.drain()
    refused = [r for r in caplog.records if r.getMessage().startswith("policy change refused")]
    assert len(refused) == 1 and "tax_brackets" in refused[0].getMessage()
    assert not [r for r in caplog.records if "retrying" in r.getMessage()]
    after = store.record(simulation_id)
    assert after is not None
    assert (
        after.params.policy.monetary.inflation_target
        == record.params.policy.monetary.inflation_target
    )
    assert after.params.policy.fiscal.tax_brackets[0].rate == 0.7


def test_the_schedule_creates_and_advances_the_live_economy(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    assert api.anonymous().get("/v1/economy/metrics").status_code == 404
    [schedule] = [
        s for s in app_runtime.platform.manifest.schedules if s.name == "advance-live-economy"
    ]
    fired = firing_event(schedule, datetime(2026, 1, 1, tzinfo=UTC))
    assert isinstance(fired.data, LiveEconomyAdvanceRequested)
    first = LiveEconomyAdvanceRequested(households=1000, warm_up=24)
    app_runtime.bus.publish(new_event(first))
    app_runtime.dispatcher.drain()
    snapshot = api.anonymous().get("/v1/economy/metrics").get_json()
    assert snapshot["simulation_id"] == "live" and snapshot["record"]["tick"] == 24
    app_runtime.bus.publish(new_event(LiveEconomyAdvanceRequested(households=1000, warm_up=24)))
    app_runtime.dispatcher.drain()
    assert api.anonymous().get("/v1/economy/metrics").get_json()["record"]["tick"] == 25
    assert api.user("alice").get("/v1/simulations/live").status_code == 404  # owned by system

    # an executed governance proposal changes the live economy's policy
    now = datetime(2026, 1, 1, tzinfo=UTC)
    executed = ProposalExecuted(
        proposal_id="p1",
        title="Basic income",
        summary="",
        proposer_id="carol",
        state="executed",
        snapshot_at=now,
        voting_ends_at=now,
        changes={"fiscal": {"basic_income": 0.05}},
        actions=[],
    )
    app_runtime.bus.publish(new_event(executed))
    app_runtime.dispatcher.drain()
    stored = app_runtime.features.simulations.load("live")
    assert stored is not None and stored.params.policy.fiscal.basic_income == 0.05
    assert np.isfinite(snapshot["record"]["gdp_real"])
