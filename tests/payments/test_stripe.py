"""Stripe: Checkout Sessions through the official library against a local stand-in of
Stripe's API; webhooks signed with the library's own scheme and credited exactly once."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest
import stripe

from shared.adapters.local.clock import ManualClock
from shared.platform import install_platform
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.conftest import ROOT
from tests.payments.stripe_standin import StripeStandIn, stripe_standin
from tests.support.api import ApiClient, UserClient

WEBHOOK_SECRET = "whsec_test_aia"


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
    yield ApiClient(runtime.platform)
    runtime.stop()
    install_platform(None)


def sign(payload: str, timestamp: int | None = None, secret: str = WEBHOOK_SECRET) -> str:
    t = timestamp or int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{t}.{payload}", secret)
    return f"t={t},v1={signature}"


def event(kind: str, obj: dict, event_id: str | None = None) -> str:  # type: ignore[type-arg]
    body = {
        "id": event_id or f"evt_{uuid.uuid4().hex}",
        "object": "event",
        "type": kind,
        "data": {"object": obj},
    }
    return json.dumps(body, separators=(",", ":"))


def session(user: UserClient, aia: str = "1000", paid: bool = True, intent: str = "pi_1") -> dict:  # type: ignore[type-arg]
    return {
        "id": f"cs_test_{intent}",
        "object": "checkout.session",
        "client_reference_id": user.user_id,
        "metadata": {"aia_amount": aia},
        "payment_status": "paid" if paid else "unpaid",
        "payment_intent": intent,
        "amount_total": 4500,
    }


def deliver(api: ApiClient, payload: str, signature: str | None = None):  # type: ignore[no-untyped-def]
    return api.client.post(
        "/v1/payments/stripe/webhook",
        data=payload,
        headers={
            "Stripe-Signature": signature or sign(payload),
            "Content-Type": "application/json",
        },
    )


def aia(user: UserClient) -> str:
    return str(user.get("/v1/wallet").json["balances"]["AIA"])


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


def test_paid_session_credits_once(pay_api: ApiClient) -> None:
    alice = pay_api.user("alice")
    completed = event("checkout.session.completed", session(alice), "evt_paid_1")
    assert deliver(pay_api, completed).json["outcome"] == "credited"
    assert aia(alice) == "1000.000000"
    assert deliver(pay_api, completed).json["outcome"] == "duplicate"  # Stripe retried
    # the same session announced by another event must not credit again
    assert (
        deliver(
            pay_api, event("checkout.session.async_payment_succeeded", session(alice))
        ).status_code
        == 200
    )
    assert aia(alice) == "1000.000000"


def test_async_payments_credit_only_when_they_succeed(pay_api: ApiClient) -> None:
    alice = pay_api.user("alice")
    pending = session(alice, paid=False, intent="pi_async")
    assert (
        deliver(pay_api, event("checkout.session.completed", pending)).json["outcome"]
        == "awaiting_payment"
    )
    failed = event("checkout.session.async_payment_failed", pending)
    assert deliver(pay_api, failed).json["outcome"] == "ignored"
    assert aia(alice) == "0.000000"
    succeeded = event("checkout.session.async_payment_succeeded", pending)
    assert deliver(pay_api, succeeded).json["outcome"] == "credited"
    assert aia(alice) == "1000.000000"


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


def test_refunds_debit_back(pay_api: ApiClient) -> None:
    alice, bob = pay_api.user("alice"), pay_api.user("bob")
    deliver(pay_api, event("checkout.session.completed", session(alice, intent="pi_r")))
    charge = {"id": "ch_1", "object": "charge", "payment_intent": "pi_r", "amount": 4500}
    half = deliver(pay_api, event("charge.refunded", {**charge, "amount_refunded": 2250}))
    assert half.json["outcome"] == "debited"
    assert aia(alice) == "500.000000"
    # she spends the rest, then the remainder is refunded: what's left is taken, wallet frozen
    sent = alice.post(
        "/v1/wallet/transfers",
        json={"to": bob.user_id, "token": "AIA", "amount": "400"},
        headers={"Idempotency-Key": "spend"},
    )
    assert sent.status_code == 201
    full = deliver(pay_api, event("charge.refunded", {**charge, "amount_refunded": 4500}))
    assert full.json["outcome"] == "debited_partially"
    wallet = alice.get("/v1/wallet").json
    assert wallet["balances"]["AIA"] == "0.000000" and wallet["frozen"] is True


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
