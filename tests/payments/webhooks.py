"""Signed Stripe webhook deliveries for tests: events built like Stripe's, signed with the
library's own scheme, posted to the real webhook route."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import stripe
from werkzeug.test import Client, TestResponse

from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.support.api import ApiClient, UserClient

WEBHOOK_SECRET = "whsec_test_aia"


@contextmanager
def webhook_api(settings: Settings, clock: ManualClock) -> Iterator[ApiClient]:
    """The API on `settings`; set STRIPE_WEBHOOK_SECRET to WEBHOOK_SECRET first."""
    from tests.conftest import ROOT

    runtime = LocalRuntime(settings, ROOT, clock=clock)
    try:
        yield ApiClient(runtime.features)
    finally:
        runtime.stop()
        install_features(None)


def unique(prefix: str) -> str:
    """Ids unique across a test session (the PostgreSQL database is shared)."""
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


def sign(payload: str | bytes, timestamp: int | None = None, secret: str = WEBHOOK_SECRET) -> str:
    text = payload.decode() if isinstance(payload, bytes) else payload
    t = timestamp or int(time.time())
    signature = stripe.WebhookSignature._compute_signature(f"{t}.{text}", secret)
    return f"t={t},v1={signature}"


def event(kind: str, obj: Any, event_id: str | None = None) -> str:
    body = {
        "id": event_id or unique("evt"),
        "object": "event",
        "type": kind,
        "data": {"object": obj},
    }
    return json.dumps(body, separators=(",", ":"))


def session(
    user: UserClient, aia: str = "1000", paid: bool = True, intent: str = "pi_1"
) -> dict[str, Any]:
    return {
        "id": f"cs_test_{intent}",
        "object": "checkout.session",
        "client_reference_id": user.user_id,
        "metadata": {"aia_amount": aia},
        "payment_status": "paid" if paid else "unpaid",
        "payment_intent": intent,
        "amount_total": 4500,
    }


def charge(intent: str, amount: int, refunded: int) -> dict[str, Any]:
    """A charge as `charge.refunded` carries it: `amount_refunded` is cumulative."""
    return {
        "id": f"ch_{intent}",
        "object": "charge",
        "payment_intent": intent,
        "amount": amount,
        "amount_refunded": refunded,
    }


def deliver(api: ApiClient, payload: str | bytes, signature: str | None = None) -> TestResponse:
    return api.client.post(
        "/v1/payments/stripe/webhook",
        data=payload,
        headers={
            "Stripe-Signature": signature or sign(payload),
            "Content-Type": "application/json",
        },
    )


def deliver_together(api: ApiClient, payloads: list[str]) -> list[TestResponse]:
    """Deliver the payloads at the same moment, one thread (and client) each, as Stripe
    does when several events of one payment fire together."""
    start = threading.Barrier(len(payloads))
    replies: list[TestResponse | None] = [None] * len(payloads)

    def send(i: int) -> None:
        client = Client(api.client.application)
        start.wait()
        replies[i] = client.post(
            "/v1/payments/stripe/webhook",
            data=payloads[i],
            headers={"Stripe-Signature": sign(payloads[i]), "Content-Type": "application/json"},
        )

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(payloads))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [reply for reply in replies if reply is not None]


def aia(user: UserClient) -> str:
    return str(user.get("/v1/wallet").json["balances"]["AIA"])
