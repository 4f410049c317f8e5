"""The first release kept purchases and handled Stripe event ids in the document store
(collections `purchases` and `stripe_events`). They are copied into SQL when the payments
feature starts: idempotent (a copied row is never overwritten, so a purchase refunded
since is not reset), and repeated at every start so that a purchase an instance of the
first release still wrote during the roll-out arrives too. The documents are left in
place (docs/decisions/0014-payments.md)."""

from __future__ import annotations

import logging
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.ledger.payments.purchases import HandledEvent, PaymentsStore, Purchase
from shared.ports.documents import DocumentStore

log = logging.getLogger("aia.payments")
PURCHASES = "purchases"
STRIPE_EVENTS = "stripe_events"


class _PurchaseDocument(BaseModel):
    model_config = ConfigDict(extra="ignore")
    user_id: str = Field(min_length=1, max_length=36)
    aia_minor: int = Field(gt=0)
    session_id: str = Field(min_length=1, max_length=255)
    refunded_minor: int = Field(ge=0)
    entry_id: str = Field(min_length=1, max_length=36)


class _EventDocument(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: str = Field(default="", max_length=100)
    outcome: str = Field(default="", max_length=40)


def copy_first_release(documents: DocumentStore, store: PaymentsStore, at: datetime) -> int:
    """Copy what the first release kept; the number of rows newly written."""
    purchases: list[Purchase] = []
    for intent, data in documents.query(PURCHASES):
        try:
            doc = _PurchaseDocument.model_validate(data)
        except ValidationError as exc:
            log.error("first-release purchase not copied: %s", exc, extra={"intent": intent})
            continue
        purchases.append(
            Purchase(
                payment_intent=intent,
                session_id=doc.session_id,
                user_id=doc.user_id,
                aia_minor=doc.aia_minor,
                # never more than bought (Stripe never refunds more than was charged)
                refunded_minor=min(doc.refunded_minor, doc.aia_minor),
                entry_id=doc.entry_id,
                created_at=at,
                updated_at=at,
            )
        )
    events: list[HandledEvent] = []
    for event_id, data in documents.query(STRIPE_EVENTS):
        try:
            event = _EventDocument.model_validate(data)
        except ValidationError:
            event = _EventDocument()  # the id is what matters: it was handled
        events.append(HandledEvent(event_id, event.type, event.outcome, at))
    copied = store.import_handled(purchases, events)
    if copied:
        log.info("first-release payments copied to SQL", extra={"rows": copied})
    return copied
