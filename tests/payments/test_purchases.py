"""What Stripe's webhook credits and debits, on SQLite and PostgreSQL: a paid session
credits once, refunds debit back the cumulative refunded share, every event id is handled
once even when delivered twice at the same moment, and an event the ledger refuses keeps
nothing, so Stripe's retry can succeed later."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from shared.adapters.local.clock import ManualClock
from shared.ledger.postings import user_owner
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
from tests.support.api import ApiClient, UserClient

ROUNDS = 5


@pytest.fixture
def stripe_api(
    accounts_settings: Settings, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ApiClient]:
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    with webhook_api(accounts_settings, clock) as api:
        yield api


def _buy(api: ApiClient, user: UserClient, aia_amount: str = "1000") -> str:
    intent = unique("pi")
    paid = deliver(
        api, event("checkout.session.completed", session(user, aia_amount, intent=intent))
    )
    assert paid.json["outcome"] == "credited", paid.get_data(as_text=True)
    return intent


def test_paid_session_credits_once_and_is_kept_in_sql(stripe_api: ApiClient) -> None:
    alice = stripe_api.user("alice")
    intent, event_id = unique("pi"), unique("evt")
    completed = event("checkout.session.completed", session(alice, intent=intent), event_id)
    assert deliver(stripe_api, completed).json["outcome"] == "credited"
    assert aia(alice) == "1000.000000"
    assert deliver(stripe_api, completed).json["outcome"] == "duplicate"  # Stripe retried
    # the same session announced by another event does not credit again
    again = deliver(
        stripe_api,
        event("checkout.session.async_payment_succeeded", session(alice, intent=intent)),
    )
    assert again.json["outcome"] == "already_credited"
    assert aia(alice) == "1000.000000"
    store = stripe_api.features.payments.store
    purchase = store.purchase(intent)
    assert purchase is not None
    assert (purchase.user_id, purchase.aia_minor, purchase.refunded_minor) == (
        alice.user_id,
        1000 * 10**6,
        0,
    )
    handled = store.handled_event(event_id)
    assert handled is not None and handled.outcome == "credited"


def test_async_payments_credit_only_when_they_succeed(stripe_api: ApiClient) -> None:
    alice = stripe_api.user("alice")
    pending = session(alice, paid=False, intent=unique("pi"))
    started = deliver(stripe_api, event("checkout.session.completed", pending))
    assert started.json["outcome"] == "awaiting_payment"
    failed = event("checkout.session.async_payment_failed", pending)
    assert deliver(stripe_api, failed).json["outcome"] == "ignored"
    assert aia(alice) == "0.000000"
    succeeded = event("checkout.session.async_payment_succeeded", pending)
    assert deliver(stripe_api, succeeded).json["outcome"] == "credited"
    assert aia(alice) == "1000.000000"


def test_refunds_debit_back_the_cumulative_share(stripe_api: ApiClient) -> None:
    alice, bob = stripe_api.user("alice"), stripe_api.user("bob")
    intent = _buy(stripe_api, alice)
    half = deliver(stripe_api, event("charge.refunded", charge(intent, 4500, 2250)))
    assert half.json["outcome"] == "debited"
    assert aia(alice) == "500.000000"
    # an older refund arriving late adds nothing
    late = deliver(stripe_api, event("charge.refunded", charge(intent, 4500, 1000)))
    assert late.json["outcome"] == "already_refunded"
    # she spends the rest, then the remainder is refunded: what's left is taken, wallet frozen
    sent = alice.post(
        "/v1/wallet/transfers",
        json={"to": bob.user_id, "token": "AIA", "amount": "400"},
        headers={"Idempotency-Key": "spend"},
    )
    assert sent.status_code == 201
    full = deliver(stripe_api, event("charge.refunded", charge(intent, 4500, 4500)))
    assert full.json["outcome"] == "debited_partially"
    wallet = alice.get("/v1/wallet").json
    assert wallet["balances"]["AIA"] == "0.000000" and wallet["frozen"] is True
    purchase = stripe_api.features.payments.store.purchase(intent)
    assert purchase is not None and purchase.refunded_minor == purchase.aia_minor
    trail = stripe_api.features.ledger.store.audit_trail(10)
    shortfall = [a for a in trail if a["subject"] == user_owner(alice.user_id)]
    assert shortfall[0]["action"] == "refund_shortfall"
    # 400 sent and 0.4 burned (0.1 %) left 99.6 of the 500 due
    assert shortfall[0]["details"] == {"due": 500 * 10**6, "taken": 99_600_000}


def test_refunds_of_what_was_never_bought_change_nothing(stripe_api: ApiClient) -> None:
    alice = stripe_api.user("alice")
    intent = _buy(stripe_api, alice)
    unknown = deliver(stripe_api, event("charge.refunded", charge(unique("pi"), 4500, 4500)))
    assert unknown.json["outcome"] == "unknown_purchase"
    free = deliver(stripe_api, event("charge.refunded", charge(intent, 0, 0)))
    assert free.json["outcome"] == "ignored"
    assert aia(alice) == "1000.000000"


def test_an_event_delivered_twice_at_once_is_handled_once(stripe_api: ApiClient) -> None:
    alice = stripe_api.user("alice")
    for _ in range(ROUNDS):
        before = Decimal(aia(alice))
        intent = unique("pi")
        completed = event("checkout.session.completed", session(alice, intent=intent))
        outcomes = [r.json["outcome"] for r in deliver_together(stripe_api, [completed] * 2)]
        assert sorted(outcomes) == ["credited", "duplicate"]
        assert Decimal(aia(alice)) - before == Decimal(1000)
        refund = event("charge.refunded", charge(intent, 1000, 250))
        outcomes = [r.json["outcome"] for r in deliver_together(stripe_api, [refund] * 2)]
        assert sorted(outcomes) == ["debited", "duplicate"]
        assert Decimal(aia(alice)) - before == Decimal(750)


def test_an_event_the_ledger_refuses_keeps_nothing(stripe_api: ApiClient) -> None:
    # a frozen wallet cannot be credited: the event is refused whole (no purchase, and
    # its id stays unclaimed) so that Stripe's retry credits once an operator unfreezes
    alice = stripe_api.user("alice")
    book = stripe_api.features.ledger
    book.store.set_frozen(user_owner(alice.user_id), True, book.clock.now())
    intent, event_id = unique("pi"), unique("evt")
    completed = event("checkout.session.completed", session(alice, intent=intent), event_id)
    refused = deliver(stripe_api, completed)
    assert refused.status_code == 409
    assert refused.content_type == "application/problem+json"
    store = stripe_api.features.payments.store
    assert store.purchase(intent) is None and store.handled_event(event_id) is None
    book.store.set_frozen(user_owner(alice.user_id), False, book.clock.now())
    assert deliver(stripe_api, completed).json["outcome"] == "credited"
    assert aia(alice) == "1000.000000"
    assert store.purchase(intent) is not None
