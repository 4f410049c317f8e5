"""Checkout and fulfilment. Fulfil on the webhook, never on the success page: a
completed and paid session credits its AIA once (keyed by the session, so the
`completed` and `async_payment_succeeded` events cannot both credit); a refund debits
back the refunded share; every event id is handled once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from shared.ledger.money import AmountError, Token, to_minor
from shared.ledger.postings import TREASURY, LedgerRejected, user_owner
from shared.ledger.service import Ledger
from shared.payments.gateway import CheckoutSession, PaymentGateway
from shared.payments.packs import Pack
from shared.ports.documents import DocumentStore

log = logging.getLogger("aia.payments")
EVENTS = "stripe_events"
PURCHASES = "purchases"


class UnknownPack(LookupError):
    pass


class Payments:
    def __init__(
        self,
        gateway: Callable[[], PaymentGateway],
        book: Ledger,
        documents: DocumentStore,
        packs: dict[str, Pack],
        app_base_url: str,
        user_exists: Callable[[str], bool],
    ) -> None:
        self._gateway = gateway
        self.book = book
        self.documents = documents
        self.packs = packs
        self.app_base_url = app_base_url
        self._user_exists = user_exists

    def checkout(self, user_id: str, pack_id: str, idempotency_key: str) -> CheckoutSession:
        pack = self.packs.get(pack_id)
        if pack is None:
            raise UnknownPack(pack_id)
        return self._gateway().create_checkout_session(
            user_id=user_id,
            pack_id=pack_id,
            name=pack.name,
            price_cents=pack.price_cents,
            currency=pack.currency,
            aia_amount=pack.aia,
            success_url=f"{self.app_base_url}/wallet?checkout=success",
            cancel_url=f"{self.app_base_url}/wallet?checkout=cancelled",
            idempotency_key=f"checkout:{user_id}:{idempotency_key}",
        )

    def handle_webhook(self, payload: bytes, signature: str) -> str:
        event = self._gateway().verify_event(payload, signature)
        event_id = str(event.get("id", ""))
        if self.documents.get(EVENTS, event_id) is not None:
            return "duplicate"
        kind = str(event.get("type", ""))
        obj: dict[str, Any] = event.get("data", {}).get("object", {})
        if kind == "checkout.session.completed":
            outcome = (
                self._fulfil(obj) if obj.get("payment_status") == "paid" else "awaiting_payment"
            )
        elif kind == "checkout.session.async_payment_succeeded":
            outcome = self._fulfil(obj)
        elif kind == "charge.refunded":
            outcome = self._refund(obj)
        else:  # async_payment_failed, expired, …: nothing to grant
            outcome = "ignored"
        self.documents.create(EVENTS, event_id, {"type": kind, "outcome": outcome})
        log.info("stripe event handled", extra={"stripe_event": event_id, "outcome": outcome})
        return outcome

    def _fulfil(self, session: dict[str, Any]) -> str:
        user_id = str(session.get("client_reference_id") or "")
        metadata = session.get("metadata") or {}
        try:
            amount = to_minor(metadata.get("aia_amount", ""))
        except AmountError:
            amount = 0
        if not user_id or not self._user_exists(user_id) or amount <= 0:
            log.error(
                "paid session cannot be matched to a user and amount",
                extra={"session": session.get("id")},
            )
            return "unmatched"
        receipt = self.book.move(
            "purchase",
            TREASURY,
            user_owner(user_id),
            Token.AIA,
            amount,
            key=f"stripe-session:{session['id']}",
            actor="stripe",
            memo=f"Stripe {session['id']}",
        )
        intent = session.get("payment_intent")
        if intent:
            self.documents.set(
                PURCHASES,
                str(intent),
                {
                    "user_id": user_id,
                    "aia_minor": amount,
                    "session_id": session["id"],
                    "refunded_minor": 0,
                    "entry_id": receipt.entry_id,
                },
            )
        return "credited"

    def _refund(self, charge: dict[str, Any]) -> str:
        intent = str(charge.get("payment_intent") or "")
        purchase = self.documents.get(PURCHASES, intent) if intent else None
        if purchase is None:
            return "unknown_purchase"
        paid, refunded = int(charge.get("amount") or 0), int(charge.get("amount_refunded") or 0)
        if paid <= 0:
            return "ignored"
        # Refunds are cumulative on the charge: debit what this refund adds.
        due = int(Decimal(purchase["aia_minor"]) * refunded / paid) - purchase["refunded_minor"]
        if due <= 0:
            return "already_refunded"
        user = purchase["user_id"]
        held = self.book.store.balance(user_owner(user), Token.AIA)
        take = min(due, held)
        if take > 0:
            self.book.move(
                "purchase_refund",
                user_owner(user),
                TREASURY,
                Token.AIA,
                take,
                key=f"stripe-refund:{intent}:{refunded}",
                actor="stripe",
                memo=f"refund {intent}",
            )
        if take < due:
            # Spent before the refund: freeze the wallet and leave it to an operator.
            now = self.book.clock.now()
            self.book.store.set_frozen(user_owner(user), True, now)
            self.book.store.audit(
                now, "stripe", "refund_shortfall", user_owner(user), {"due": due, "taken": take}
            )
        self.documents.set(
            PURCHASES, intent, {**purchase, "refunded_minor": purchase["refunded_minor"] + due}
        )
        return "debited" if take == due else "debited_partially"


__all__ = ["LedgerRejected", "Payments", "UnknownPack"]
