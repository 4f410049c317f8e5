"""A release that changes the economy model, end to end on the embedded runtime: what an
earlier release stored reads as model 1 (its row's version and a state blob whose header
names no model, as the upgraded database holds them). A run of model 1 still running
ends at its next tick, refunded once, its months kept; one still queued starts on this
model; the live economy starts again on this model at its own month, with its policy and
governance history, the move recorded once."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator

import pytest
from sqlalchemy import select, update

from shared.adapters.local.clock import ManualClock
from shared.adapters.sql.schema import simulation_model_changes, simulation_states
from shared.adapters.sql.simulation_store import SqlSimulationStore
from shared.api.spec import Principal
from shared.bootstrap import install_features
from shared.events.envelope import new_event
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.simulation import checkpoints
from shared.simulation.events import (
    LIVE_WARM_UP,
    DecidedBy,
    LiveEconomyAdvanceRequested,
    SimulationPolicyChanged,
    SimulationTickRequested,
)
from shared.simulation.layout import load_state, model_of
from shared.simulation.model_version import MODEL_VERSION
from shared.web import simulation_pages as pages
from shared.web.economy_pages import economy
from shared.web.spec import PageRequest
from tests.conftest import ROOT
from tests.support.api import ApiClient

_HEAD = struct.Struct("<8sI")
BODY = {"households": 300, "ticks": 30, "seed": 4}


@pytest.fixture
def priced_runtime(settings: Settings, clock: ManualClock) -> Iterator[LocalRuntime]:
    runtime = LocalRuntime(
        settings.model_copy(update={"prices": {"simulation": "2"}}), ROOT, clock=clock
    )
    yield runtime
    runtime.stop()
    install_features(None)


def _store(runtime: LocalRuntime) -> SqlSimulationStore:
    store = runtime.features.simulations
    assert isinstance(store, SqlSimulationStore)
    return store


def _page(runtime: LocalRuntime, user: str | None, **params: str) -> PageRequest:
    path = {k: params.pop(k) for k in ("simulation_id", "kind") if k in params}
    return PageRequest(
        features=runtime.features,
        method="GET",
        path_params=path,
        query=params,
        form={},
        csrf_token="t",
        principal=None if user is None else Principal(user, verified=True),
    )


def _model_1_blob(blob: bytes) -> bytes:
    """The same state as an earlier release stored it: its header names no model."""
    _, length = _HEAD.unpack_from(blob, 0)
    header = json.loads(blob[12 : 12 + length])
    del header["model"]
    text = json.dumps(header, separators=(",", ":")).encode().ljust(length)
    return blob[:12] + text + blob[12 + length :]


def _stored_by_model_1(runtime: LocalRuntime, simulation_id: str) -> None:
    """What the upgraded database holds for a simulation the earlier release stored."""
    store = _store(runtime)
    stored = store.load(simulation_id)
    assert stored is not None
    state = None if stored.state is None else _model_1_blob(bytes(stored.state))
    with store.engine.begin() as conn:
        conn.execute(
            update(simulation_states)
            .where(simulation_states.c.simulation_id == simulation_id)
            .values(model_version=1, state=state)
        )


def test_a_running_run_of_model_1_ends_at_its_next_tick_refunded_once(
    priced_runtime: LocalRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoints, "MAX_TICKS_PER_MESSAGE", 10)
    api = ApiClient(priced_runtime.features)
    ada, admin = api.user("ada"), api.user("root", admin=True)
    admin.post("/v1/admin/mint", json={"user_id": ada.user_id, "token": "AIA", "amount": "10"})
    priced_runtime.dispatcher.drain()  # their sign-ups' events
    run_id = ada.post("/v1/simulations", json=BODY).json["id"]
    assert ada.get("/v1/wallet").json["balances"]["AIA"] == "8.000000"  # charged
    priced_runtime.dispatcher.deliver_next()  # its first 10 months, on the earlier release
    _stored_by_model_1(priced_runtime, run_id)
    before = _store(priced_runtime).load(run_id)
    assert before is not None and before.tick == 10

    priced_runtime.dispatcher.drain()  # the new release takes its next tick
    ada.log_in_again()
    view = ada.get(f"/v1/simulations/{run_id}").json
    assert (view["status"], view["current_tick"]) == ("failed", 10)
    assert view["failure_reason"] == "produced by model 1; this release runs model 2"
    assert view["model_version"] == 1
    assert ada.get("/v1/wallet").json["balances"]["AIA"] == "10.000000"  # refunded

    # another request for the same month (a redelivery, a stale follow-up) changes nothing
    again = new_event(SimulationTickRequested(simulation_id=run_id, tick=10, ticks=10))
    priced_runtime.bus.publish(again)
    priced_runtime.dispatcher.drain()
    ada.log_in_again()
    assert ada.get("/v1/wallet").json["balances"]["AIA"] == "10.000000"  # once
    after = _store(priced_runtime).load(run_id)
    assert after is not None and after.status == "failed"
    assert bytes(after.state or b"") == bytes(before.state or b"")  # kept as stored
    # what it stored stays readable: its ten months, as JSON and CSV
    metrics = ada.get(f"/v1/simulations/{run_id}/metrics")
    assert [r["tick"] for r in metrics.json["records"]] == list(range(1, 11))
    assert (metrics.json["model_version"], metrics.headers["AIA-Model-Version"]) == (1, "1")
    csv = ada.get(f"/v1/simulations/{run_id}/metrics?format=csv")
    assert csv.status_code == 200 and csv.headers["AIA-Model-Version"] == "1"
    assert len(csv.get_data(as_text=True).splitlines()) == 11
    assert ada.get(f"/v1/simulations/{run_id}/charts/gdp_real.svg").status_code == 200
    [listed] = ada.get("/v1/simulations").json["simulations"]
    assert (listed["model_version"], listed["failure_reason"]) == (1, view["failure_reason"])

    # the pages say it too: the run's model and why it ended; the list's model column
    runtime = priced_runtime
    page = pages.simulation(_page(runtime, ada.user_id, simulation_id=run_id)).html
    assert "economy model 1." in page
    assert "This run failed (produced by model 1; this release runs model 2)" in page
    listing = pages.simulations(_page(runtime, ada.user_id)).html
    assert '<th scope="col" class="num">Model</th>' in listing
    download = pages.download(_page(runtime, ada.user_id, simulation_id=run_id, kind="json"))
    assert download.headers["AIA-Model-Version"] == "1"
    assert json.loads(download.body or b"{}")["model_version"] == 1

    # compared with a run of this model: a note, not an error
    newer = ada.post("/v1/simulations", json={**BODY, "ticks": 12}).json["id"]
    runtime.dispatcher.drain()
    ada.log_in_again()
    compared = ada.get(f"/v1/simulations/compare?ids={run_id},{newer}")
    assert compared.status_code == 200
    assert [r["model_version"] for r in compared.json["runs"]] == [1, MODEL_VERSION]
    assert "different model versions (1 and 2)" in compared.json["note"]
    assert compared.json["ticks"] == list(range(1, 11))
    page = pages.compare_runs(_page(runtime, ada.user_id, ids=f"{run_id},{newer}")).html
    assert 'id="models-differ"' in page and "different model versions (1 and 2)" in page
    assert "seed 4, model 1" in page


def test_a_queued_run_of_model_1_starts_on_this_model(priced_runtime: LocalRuntime) -> None:
    """Queued: no state yet, so nothing of the old model to carry; it runs on this one."""
    api = ApiClient(priced_runtime.features)
    ada, admin = api.user("ada"), api.user("root", admin=True)
    admin.post("/v1/admin/mint", json={"user_id": ada.user_id, "token": "AIA", "amount": "10"})
    run_id = ada.post("/v1/simulations", json={**BODY, "ticks": 3}).json["id"]
    _stored_by_model_1(priced_runtime, run_id)
    assert _store(priced_runtime).record(run_id).model_version == 1  # type: ignore[union-attr]
    flight = admin.get("/v1/admin/simulations/in-flight").json["simulations"]
    assert [(s["id"], s["model_version"]) for s in flight] == [(run_id, 1)]  # operators see it
    priced_runtime.dispatcher.drain()
    ada.log_in_again()
    view = ada.get(f"/v1/simulations/{run_id}").json
    assert (view["status"], view["model_version"]) == ("completed", MODEL_VERSION)
    stored = _store(priced_runtime).load(run_id)
    assert stored is not None and stored.state is not None
    assert model_of(stored.state) == MODEL_VERSION
    assert ada.get("/v1/wallet").json["balances"]["AIA"] == "8.000000"  # paid, and run
    other = ada.post("/v1/simulations", json={**BODY, "ticks": 3, "seed": 5}).json["id"]
    priced_runtime.dispatcher.drain()
    ada.log_in_again()
    compared = ada.get(f"/v1/simulations/compare?ids={run_id},{other}").json
    assert compared["note"] is None
    assert [r["model_version"] for r in compared["runs"]] == [MODEL_VERSION] * 2


def test_the_live_economy_starts_again_on_this_model_keeping_its_policy_and_history(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    runtime, store = app_runtime, _store(app_runtime)
    schedule = LiveEconomyAdvanceRequested(households=1000, warm_up=24)
    runtime.bus.publish(new_event(schedule))
    runtime.dispatcher.drain()
    decided = SimulationPolicyChanged(
        simulation_id="live",
        changes={"fiscal": {"basic_income": 0.05}},
        reason="proposal 1 executed",
        decided_by=DecidedBy(proposal_id=1, title="Basic income"),
    )
    runtime.bus.publish(new_event(decided))
    runtime.dispatcher.drain()
    months_of_model_1 = [m.as_dict() for m in store.metrics("live")]
    assert len(months_of_model_1) == 24
    _stored_by_model_1(runtime, "live")
    old_state = store.load("live")
    assert old_state is not None and old_state.model_version == 1
    before = api.anonymous().get("/v1/economy/metrics").json["model"]
    assert before == {"version": 1, "since_month": 0, "since": None, "previous_version": None}

    tick = new_event(LiveEconomyAdvanceRequested(households=1000, warm_up=24))
    runtime.bus.publish(tick)
    runtime.dispatcher.drain()
    live = store.load("live")
    assert live is not None and live.state is not None
    # from its own month 24, this model's initial state and the usual warm-up
    assert (live.model_version, live.tick) == (MODEL_VERSION, 24 + LIVE_WARM_UP)
    assert load_state(live.state).tick == live.tick and model_of(live.state) == MODEL_VERSION
    assert live.params.policy.fiscal.basic_income == 0.05  # the policy in force stays
    [change] = store.policy_changes("live")  # and the governance history
    assert change.decided_by is not None and change.decided_by.proposal_id == 1
    [moved] = store.model_changes("live")
    assert (moved.tick, moved.from_version, moved.to_version) == (24, 1, MODEL_VERSION)
    months = store.metrics("live")
    assert [m.tick for m in months] == list(range(1, 24 + LIVE_WARM_UP + 1))
    assert [m.as_dict() for m in months[:24]] == months_of_model_1  # model 1's months kept
    with store.engine.connect() as conn:
        kept = conn.execute(select(simulation_model_changes.c.previous_state)).scalar()
    assert kept == bytes(old_state.state or b"")  # the state it replaced, kept

    snapshot = api.anonymous().get("/v1/economy/metrics").json
    assert snapshot["record"]["tick"] == 24 + LIVE_WARM_UP
    model = snapshot["model"]
    assert (model["version"], model["since_month"], model["previous_version"]) == (
        MODEL_VERSION,
        24,
        1,
    )
    assert model["since"] is not None
    page = economy(_page(runtime, None)).html
    assert "It runs economy model 2 since month 24" in page
    assert "its months up to 24 are model 1" in page

    # the schedule's request again (a redelivery): moved once, nothing more
    [request] = [
        m
        for m in runtime.bus.messages("simulation-ticks")
        if SimulationTickRequested.model_validate_json(m.data).tick == 24
        and SimulationTickRequested.model_validate_json(m.data).simulation_id == "live"
    ][-1:]
    runtime.bus.publish_raw("simulation-ticks", request.data, request.attributes, "live")
    runtime.dispatcher.drain()
    assert len(store.model_changes("live")) == 1
    assert store.tick_of("live") == 24 + LIVE_WARM_UP
    # and the next scheduled month is an ordinary month of the new model
    runtime.bus.publish(new_event(LiveEconomyAdvanceRequested(households=1000, warm_up=24)))
    runtime.dispatcher.drain()
    assert store.tick_of("live") == 25 + LIVE_WARM_UP
