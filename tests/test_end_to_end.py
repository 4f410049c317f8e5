"""The tokens-and-governance story end to end, over HTTP and through the runtime: a user
buys AIA (a signed Stripe webhook), pays for a simulation, receives AIA_GOV from an
admin, proposes and passes a tax change, and the live economy then applies it."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest

from shared.adapters.local.clock import ManualClock
from shared.adapters.stripe.gateway import signature_header
from shared.bootstrap import install_features
from shared.events.envelope import new_event
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.simulation.events import LiveEconomyAdvanceRequested
from shared.simulation.store import LIVE_ID
from tests.conftest import ROOT
from tests.support.api import ApiClient

DAY = 86_400
SECRET = "whsec_end_to_end"
TAX_CUT = {
    "type": "tax_brackets",
    "tax_brackets": [
        {"threshold": 0.0, "rate": 0.05},
        {"threshold": 0.5, "rate": 0.20},
        {"threshold": 1.25, "rate": 0.30},
        {"threshold": 3.0, "rate": 0.40},
    ],
}


@pytest.fixture
def world(
    settings: Settings, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[LocalRuntime, ApiClient, ManualClock]]:
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", SECRET)
    priced = settings.model_copy(update={"prices": {"simulation": "10"}})
    runtime = LocalRuntime(priced, ROOT, clock=clock)
    yield runtime, ApiClient(runtime.features), clock
    runtime.stop()
    install_features(None)


def test_buy_pay_govern_and_the_economy_follows(
    world: tuple[LocalRuntime, ApiClient, ManualClock],
) -> None:
    runtime, api, clock = world
    ada, admin = api.user("ada"), api.user("root", admin=True)

    # 1. she buys 1,000 AIA: Stripe's signed webhook credits the ledger
    payload = json.dumps(
        {
            "id": f"evt_{uuid.uuid4().hex}",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": "cs_e2e",
                    "client_reference_id": ada.user_id,
                    "metadata": {"aia_amount": "1000"},
                    "payment_status": "paid",
                    "payment_intent": "pi_e2e",
                }
            },
        }
    )
    paid = api.client.post(
        "/v1/payments/stripe/webhook",
        data=payload,
        headers={"Stripe-Signature": signature_header(payload, SECRET, int(time.time()))},
    )
    assert paid.json["outcome"] == "credited"

    # 2. a simulation costs her 10 AIA and runs to its horizon through the events
    run = ada.post("/v1/simulations", json={"households": 300, "ticks": 6, "seed": 5}).json["id"]
    runtime.dispatcher.drain()
    ada.log_in_again()
    assert ada.get(f"/v1/simulations/{run}").json["status"] == "completed"
    assert ada.get("/v1/wallet").json["balances"]["AIA"] == "990.000000"

    # 3. the flagship economy is running; an admin grants her AIA_GOV; she delegates
    runtime.bus.publish(new_event(LiveEconomyAdvanceRequested(households=1000, warm_up=12)))
    runtime.dispatcher.drain()
    grant = {"user_id": ada.user_id, "token": "AIA_GOV", "amount": "1500000", "reason": "seed"}
    admin.log_in_again()
    ada.log_in_again()
    assert admin.post("/v1/admin/mint", json=grant).status_code == 201
    assert ada.post("/v1/governance/delegate", json={"to": ada.user_id}).status_code == 200

    # 4. she proposes a tax cut and votes for it; it passes, waits out the timelock, executes
    clock.advance(1)
    body = {"title": "Cut income tax", "description": "Lower every rate.", "actions": [TAX_CUT]}
    proposal = ada.post("/v1/governance/proposals", json=body)
    assert proposal.status_code == 201, proposal.get_data(as_text=True)
    pid = proposal.json["id"]
    clock.advance(DAY + 1)
    ada.log_in_again()
    vote = ada.post(f"/v1/governance/proposals/{pid}/votes", json={"support": "for"})
    assert vote.status_code in (200, 201), vote.get_data(as_text=True)
    clock.advance(7 * DAY)
    ada.log_in_again()
    assert ada.get(f"/v1/governance/proposals/{pid}").json["state"].lower() == "succeeded"
    assert ada.post(f"/v1/governance/proposals/{pid}/queue").status_code < 300
    clock.advance(2 * DAY + 1)
    ada.log_in_again()
    assert ada.post(f"/v1/governance/proposals/{pid}/execute").status_code < 300
    runtime.dispatcher.drain()

    # 5. the live economy applies the new schedule from its next tick on
    live = runtime.features.simulations.load(LIVE_ID)
    assert live is not None
    rates = [b.rate for b in live.params.policy.fiscal.tax_brackets]
    assert rates == [0.05, 0.20, 0.30, 0.40]
