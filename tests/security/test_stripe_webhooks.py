"""Issue #13, Stripe webhooks: correctly signed events that arrive together or that are
malformed. Each test reproduces an attack or a crash of the first release."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

import pytest

from shared.adapters.local.clock import ManualClock
from shared.settings import Settings
from tests.payments.webhooks import (
    WEBHOOK_SECRET,
    aia,
    charge,
    deliver,
    deliver_together,
    event,
    session,
    unique,
    webhook_api,
)
from tests.support.api import ApiClient

ROUNDS = 5


@pytest.fixture
def stripe_api(
    accounts_settings: Settings, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ApiClient]:
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    with webhook_api(accounts_settings, clock) as api:
        yield api


@pytest.fixture
def embedded_stripe_api(
    settings: Settings, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ApiClient]:
    """For payloads refused before any SQL is touched: one backend is enough."""
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    with webhook_api(settings, clock) as api:
        yield api


def test_concurrent_cumulative_refunds_debit_the_refunded_share_once(
    stripe_api: ApiClient,
) -> None:
    # Stripe's refunds are cumulative: 300 then 600 of 1,000 refunded is 600 in all.
    # Two such events at once used to both see "nothing refunded yet" and debit 900.
    alice = stripe_api.user("alice")
    for _ in range(ROUNDS):
        intent = unique("pi")
        paid = deliver(
            stripe_api, event("checkout.session.completed", session(alice, intent=intent))
        )
        assert paid.json["outcome"] == "credited"
        before = Decimal(aia(alice))
        replies = deliver_together(
            stripe_api,
            [
                event("charge.refunded", charge(intent, 1000, 300)),
                event("charge.refunded", charge(intent, 1000, 600)),
            ],
        )
        assert [r.status_code for r in replies] == [200, 200]
        assert before - Decimal(aia(alice)) == Decimal(600)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param(b"{not json", "body", id="not-json"),
        pytest.param(b"[1, 2]", "body", id="a-list"),
        pytest.param(
            json.dumps({"id": "evt_x", "type": "checkout.session.completed", "data": None}),
            "data",
            id="data-null",
        ),
        pytest.param(
            json.dumps({"id": "evt_x", "type": "charge.refunded", "data": {"object": None}}),
            "data.object",
            id="object-null",
        ),
        pytest.param(
            json.dumps({"type": "checkout.session.completed", "data": {"object": {"id": "cs"}}}),
            "id",
            id="no-id",
        ),
    ],
)
def test_malformed_signed_events_are_refused_naming_the_field(
    embedded_stripe_api: ApiClient, payload: str | bytes, field: str
) -> None:
    response = deliver(embedded_stripe_api, payload)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert response.json["errors"][0]["field"] == field


@pytest.mark.parametrize("amount", ["1e30", "-5", "NaN", "10000000000"])
def test_absurd_aia_amount_is_refused_and_credits_nothing(
    stripe_api: ApiClient, amount: str
) -> None:
    alice = stripe_api.user("alice")
    paid = session(alice, aia=amount, intent=unique("pi"))
    response = deliver(stripe_api, event("checkout.session.completed", paid))
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert response.json["errors"][0]["field"] == "data.object.metadata.aia_amount"
    assert aia(alice) == "0.000000"
