"""Paid work: a venture report costs AIA, is refused with 402 without enough, and a
failed report gives the AIA back, once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.ports.workflows import ExecutionState
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.conftest import ROOT
from tests.support.api import ApiClient
from tests.venture.conftest import report_body
from tests.venture.test_reports import FlakyAdvisor


@pytest.fixture
def priced(settings: Settings, clock: ManualClock) -> Iterator[tuple[LocalRuntime, ApiClient]]:
    configured = settings.model_copy(
        update={"prices": {"venture_report": "5"}, "time_scale": 1000.0}
    )
    runtime = LocalRuntime(configured, ROOT, clock=clock)
    yield runtime, ApiClient(runtime.features)
    runtime.stop()
    install_features(None)


def test_a_report_costs_aia_and_a_failed_one_is_refunded(
    priced: tuple[LocalRuntime, ApiClient],
) -> None:
    runtime, api = priced
    alice, admin = api.user("alice"), api.user("root", admin=True)
    broke = alice.post("/v1/venture/reports", json=report_body())
    assert broke.status_code == 402
    assert broke.json["type"].endswith("/insufficient-funds")
    assert broke.json["detail"] == "you have 0 AIA; this venture report costs 5 AIA"
    assert (broke.json["needed"], broke.json["needed_minor"]) == ("5.000000", 5_000_000)

    admin.post("/v1/admin/mint", json={"user_id": alice.user_id, "token": "AIA", "amount": "12"})
    ok = alice.post("/v1/venture/reports", json=report_body(), headers={"Idempotency-Key": "r1"})
    assert ok.status_code == 202
    again = alice.post("/v1/venture/reports", json=report_body(), headers={"Idempotency-Key": "r1"})
    assert again.json["id"] == ok.json["id"]
    assert alice.get("/v1/wallet").json["balances"]["AIA"] == "7.000000"  # charged once
    assert runtime.workflows is not None
    assert (
        runtime.workflows.wait(f"venture-report-{ok.json['id']}", timeout=30).state
        is ExecutionState.SUCCEEDED
    )

    runtime.features.provide(stack_advisor=FlakyAdvisor(failures=100))
    failing = alice.post("/v1/venture/reports", json=report_body(title="doomed")).json["id"]
    assert alice.get("/v1/wallet").json["balances"]["AIA"] == "2.000000"
    state = runtime.workflows.wait(f"venture-report-{failing}", timeout=30).state
    assert state is ExecutionState.FAILED
    assert alice.get("/v1/wallet").json["balances"]["AIA"] == "7.000000"  # refunded
    kinds = [e["kind"] for e in alice.get("/v1/wallet/history").json["entries"]]
    assert kinds.count("charge") == 2 and kinds.count("refund") == 1


@pytest.fixture
def priced_simulations(
    settings: Settings, clock: ManualClock
) -> Iterator[tuple[LocalRuntime, ApiClient]]:
    configured = settings.model_copy(update={"prices": {"simulation": "10"}})
    runtime = LocalRuntime(configured, ROOT, clock=clock)
    yield runtime, ApiClient(runtime.features)
    runtime.stop()
    install_features(None)


def test_a_simulation_costs_aia_and_a_dead_lettered_run_is_refunded(
    priced_simulations: tuple[LocalRuntime, ApiClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime, api = priced_simulations
    alice, admin = api.user("alice"), api.user("root", admin=True)
    body = {"households": 200, "ticks": 3, "seed": 1}
    assert alice.post("/v1/simulations", json=body).status_code == 402
    admin.post("/v1/admin/mint", json={"user_id": alice.user_id, "token": "AIA", "amount": "25"})

    good = alice.post("/v1/simulations", json=body).json["id"]
    runtime.dispatcher.drain()
    assert alice.get(f"/v1/simulations/{good}").json["status"] == "completed"
    assert alice.get("/v1/wallet").json["balances"]["AIA"] == "15.000000"

    import shared.simulation.handlers as handlers

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the model cannot advance")

    monkeypatch.setattr(handlers, "advance", broken)
    doomed = alice.post("/v1/simulations", json=body).json["id"]
    assert alice.get("/v1/wallet").json["balances"]["AIA"] == "5.000000"
    runtime.dispatcher.drain()  # five failed deliveries, the dead letter, the refund
    alice.log_in_again()  # the retries' backoff took longer than a token lives
    view = alice.get(f"/v1/simulations/{doomed}").json
    assert view["status"] == "failed"
    assert alice.get("/v1/wallet").json["balances"]["AIA"] == "15.000000"
    refunds = [e for e in alice.get("/v1/wallet/history").json["entries"] if e["kind"] == "refund"]
    assert len(refunds) == 1
