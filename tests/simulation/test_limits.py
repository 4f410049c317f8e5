"""Prices by work and per-user limits, beyond the attacks in
tests/security/test_simulation_cost.py: what frees a slot, what a quote says."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.money import to_minor
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.simulation.pricing import simulation_price
from tests.conftest import ROOT
from tests.support.api import ApiClient

BODY = {"households": 200, "ticks": 3}


@pytest.fixture
def one_at_a_time(settings: Settings, clock: ManualClock) -> Iterator[tuple[LocalRuntime, Any]]:
    configured = settings.model_copy(
        update={"prices": {"simulation": "2"}, "simulation_max_concurrent": 1}
    )
    runtime = LocalRuntime(configured, ROOT, clock=clock)
    yield runtime, ApiClient(runtime.features)
    runtime.stop()
    install_features(None)


def test_the_price_is_per_million_household_months_with_a_minimum() -> None:
    prices = {"simulation": "1", "simulation_per_million_household_months": "5"}
    assert simulation_price(prices, 2000, 24).amount == to_minor("1")  # 0.24 by work
    assert simulation_price(prices, 1000, 120).amount == to_minor("1")  # 0.6 by work
    assert simulation_price(prices, 100_000, 120).amount == to_minor("60")
    assert simulation_price(prices, 1_000_000, 2400).amount == to_minor("12000")
    assert simulation_price(prices, 999_999, 7).amount == to_minor("34.999965")
    by_work = {"simulation_per_million_household_months": "0.000007"}
    assert simulation_price(by_work, 333, 1).amount == 1  # 0.002331 minor units, rounded up
    assert simulation_price({}, 1_000_000, 2400).amount == 0  # no prices: free
    assert simulation_price({"simulation": "10"}, 1_000_000, 2400).amount == to_minor("10")


def test_a_refused_payment_holds_no_slot_and_a_finished_run_frees_its_own(
    one_at_a_time: tuple[LocalRuntime, ApiClient],
) -> None:
    runtime, api = one_at_a_time
    ada, admin = api.user("ada"), api.user("root", admin=True)
    assert ada.post("/v1/simulations", json=BODY).status_code == 402
    admin.post("/v1/admin/mint", json={"user_id": ada.user_id, "token": "AIA", "amount": "10"})
    first = ada.post("/v1/simulations", json=BODY)
    assert first.status_code == 202, first.json
    busy = ada.post("/v1/simulations", json=BODY)
    assert busy.status_code == 429
    assert busy.json["type"].endswith("/simulation-concurrency-limit")
    assert "Retry-After" not in busy.headers
    assert ada.get("/v1/wallet").json["balances"]["AIA"] == "8.000000"  # the 429 cost nothing

    quote = ada.get("/v1/simulations/quote?households=200&ticks=3").json
    assert (quote["running"], quote["max_concurrent"]) == (1, 1)
    assert quote["household_months_started_today"] == 600

    runtime.dispatcher.drain()
    ada.log_in_again()
    assert ada.get(f"/v1/simulations/{first.json['id']}").json["status"] == "completed"
    assert ada.post("/v1/simulations", json=BODY).status_code == 202


def test_a_failed_run_frees_its_slot(
    one_at_a_time: tuple[LocalRuntime, ApiClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime, api = one_at_a_time
    ada, admin = api.user("ada"), api.user("root", admin=True)
    admin.post("/v1/admin/mint", json={"user_id": ada.user_id, "token": "AIA", "amount": "10"})
    import shared.simulation.handlers as handlers

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the model cannot advance")

    monkeypatch.setattr(handlers, "advance", broken)
    doomed = ada.post("/v1/simulations", json=BODY).json["id"]
    runtime.dispatcher.drain()  # retries, the dead letter, the refund and the freed slot
    monkeypatch.undo()
    ada.log_in_again()
    assert ada.get(f"/v1/simulations/{doomed}").json["status"] == "failed"
    assert ada.post("/v1/simulations", json=BODY).status_code == 202


def test_a_run_unfinished_after_a_day_no_longer_holds_a_slot(
    one_at_a_time: tuple[LocalRuntime, ApiClient], clock: ManualClock
) -> None:
    _, api = one_at_a_time
    ada, admin = api.user("ada"), api.user("root", admin=True)
    admin.post("/v1/admin/mint", json={"user_id": ada.user_id, "token": "AIA", "amount": "10"})
    assert ada.post("/v1/simulations", json=BODY).status_code == 202  # never delivered
    assert ada.post("/v1/simulations", json=BODY).status_code == 429
    clock.advance(86_400 + 1)
    ada.log_in_again()
    assert ada.post("/v1/simulations", json=BODY).status_code == 202


def test_quote_queries_are_checked(api: ApiClient) -> None:
    ada = api.user("ada")
    reply = ada.get("/v1/simulations/quote?households=20.5&ticks=12")
    assert reply.status_code == 400
    assert [e["field"] for e in reply.json["errors"]] == ["households"]
    assert ada.get("/v1/simulations/quote?households=10").status_code == 400
    free = ada.get("/v1/simulations/quote?households=2000&ticks=24").json
    assert (free["household_months"], free["price_aia"]) == (48_000, "0.000000")
    assert api.anonymous().get("/v1/simulations/quote").status_code == 401
