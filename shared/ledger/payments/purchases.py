"""What the payments feature keeps: purchases (one per paid payment intent) and the Stripe
event ids it has handled, beside the ledger so that one transaction covers an event's
claim, its purchase and its ledger posting (docs/decisions/0014-payments.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from shared.ledger.postings import Holding, Posting, Receipt
from shared.money import Token


@dataclass(frozen=True)
class Purchase:
    payment_intent: str
    session_id: str
    user_id: str
    aia_minor: int  # AIA credited
    refunded_minor: int  # AIA owed back so far (debited, or recorded as a shortfall)
    entry_id: str  # the ledger entry that credited it
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class HandledEvent:
    event_id: str
    type: str
    outcome: str
    received_at: datetime


class PaymentsUnit(Protocol):
    """One Stripe event's reads and writes, ledger included, committed together."""

    at: datetime

    def purchase(self, payment_intent: str) -> Purchase | None:
        """The purchase, locked until the unit ends (a concurrent refund waits)."""
        ...

    def add_purchase(self, purchase: Purchase) -> bool:
        """Record a purchase; False (and nothing written) if its intent is known."""
        ...

    def record_refunded(self, payment_intent: str, refunded_minor: int) -> None: ...

    def holdings(self, owners: Sequence[str], token: Token) -> dict[str, Holding]:
        """Balances locked until the unit ends: a posting then sees exactly these."""
        ...

    def post(self, posting: Posting) -> Receipt:
        """A ledger posting in this unit. Raises LedgerRejected or IdempotencyConflict,
        after which the unit is rolled back."""
        ...

    def freeze(self, owner: str) -> None: ...

    def audit(self, actor: str, action: str, subject: str, details: dict[str, Any]) -> None: ...


class PaymentsStore(Protocol):
    def handle_event(
        self, event_id: str, kind: str, at: datetime, handle: Callable[[PaymentsUnit], str]
    ) -> str | None:
        """In one transaction: claim `event_id` first, run `handle`, record the outcome it
        returns, commit. None when the id was claimed already (a repeated delivery):
        nothing is run. If `handle` raises, nothing is kept, the claim included."""
        ...

    def purchase(self, payment_intent: str) -> Purchase | None: ...

    def purchase_of_session(self, session_id: str) -> Purchase | None:
        """The purchase a Checkout session paid for, once its webhook credited it."""
        ...

    def handled_event(self, event_id: str) -> HandledEvent | None: ...

    def import_handled(self, purchases: Sequence[Purchase], events: Sequence[HandledEvent]) -> int:
        """Copy purchases and handled events kept elsewhere, leaving every one already
        here untouched (idempotent); the number of rows written."""
        ...
