"""Stripe: Checkout Sessions through the official library against a local stand-in of
Stripe's API; webhooks signed with the library's own scheme (what they credit and debit:
test_purchases.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.conftest import ROOT
from tests.payments.stripe_standin import StripeStandIn, stripe_standin
from tests.payments.webhooks import WEBHOOK_SECRET, aia, deliver, event, session, sign
from tests.support.api import ApiClient


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, StripeStandIn]]:
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_aia")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    with stripe_standin() as running:
        yield running


@pytest.fixture
def pay_api(
    standin: tuple[str, StripeStandIn], settings: Settings, clock: ManualClock
) -> Iterator[ApiClient]:
    runtime = LocalRuntime(
        settings.model_copy(update={"stripe_api_base": standin[0]}), ROOT, clock=clock
    )
    yield ApiClient(runtime.features)
    runtime.stop()
    install_features(None)


def test_checkout_session_is_created_once_per_idempotency_key(
    pay_api: ApiClient, standin: tuple[str, StripeStandIn]
) -> None:
    alice = pay_api.user("alice")
    first = alice.post(
        "/v1/payments/checkout", json={"pack": "aia-1000"}, headers={"Idempotency-Key": "buy-1"}
    )
    again = alice.post(
        "/v1/payments/checkout", json={"pack": "aia-1000"}, headers={"Idempotency-Key": "buy-1"}
    )
    assert first.status_code == again.status_code == 201
    assert first.json["session_id"] == again.json["session_id"]
    assert first.json["checkout_url"].startswith("https://checkout.stripe.com/")
    sent = standin[1].requests
    assert {r["idempotency_key"] for r in sent} == {f"checkout:{alice.user_id}:buy-1"}
    form = sent[0]["form"]
    assert form["client_reference_id"] == alice.user_id
    assert form["metadata[aia_amount]"] == "1000"
    assert form["mode"] == "payment"
    assert form["line_items[0][price_data][unit_amount]"] == "4500"
    unknown = alice.post("/v1/payments/checkout", json={"pack": "aia-7"})
    assert unknown.status_code == 400 and unknown.json["errors"][0]["field"] == "pack"


@pytest.mark.parametrize(
    "tamper", ["bad-signature", "old-timestamp", "reserialised", "other-secret"]
)
def test_forged_or_stale_webhooks_are_rejected(pay_api: ApiClient, tamper: str) -> None:
    alice = pay_api.user("alice")
    payload = event("checkout.session.completed", session(alice))
    signature = {
        "bad-signature": f"t={int(time.time())},v1={'0' * 64}",
        "old-timestamp": sign(payload, int(time.time()) - 301),
        "reserialised": sign(payload),
        "other-secret": sign(payload, secret="whsec_someone_else"),
    }[tamper]
    body = json.dumps(json.loads(payload), indent=1) if tamper == "reserialised" else payload
    response = deliver(pay_api, body, signature)
    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == "Stripe-Signature"
    assert aia(alice) == "0.000000"


def test_without_keys_payments_say_so(api: ApiClient) -> None:
    alice = api.user("alice")
    response = alice.post("/v1/payments/checkout", json={"pack": "aia-100"})
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"


def test_the_webhook_needs_only_its_signing_secret(
    api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `make run` with STRIPE_WEBHOOK_SECRET set and no Stripe account: `aia stripe-webhook`
    monkeypatch.delenv("STRIPE_SECRET_KEY", raising=False)
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    alice = api.user("alice")
    assert (
        deliver(api, event("checkout.session.completed", session(alice, aia="50"))).status_code
        == 200
    )
    assert aia(alice) == "50.000000"
    assert alice.post("/v1/payments/checkout", json={"pack": "aia-100"}).status_code == 503
