"""Checkout and fulfilment. Fulfil on the webhook, never on the success page: a
completed and paid session credits its AIA once (keyed by the session, so the
`completed` and `async_payment_succeeded` events cannot both credit); a refund debits
back the refunded share. Each event is handled once, in one transaction with the purchase
it touches locked (docs/decisions/0014-payments.md)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from shared.errors import Conflict
from shared.ledger.payments.gateway import CheckoutSession, PaymentGateway
from shared.ledger.payments.packs import Pack
from shared.ledger.payments.purchases import PaymentsStore, PaymentsUnit, Purchase
from shared.ledger.payments.stripe_events import (
    ChargeObject,
    CheckoutSessionObject,
    StripeEvent,
    parse_event,
    parse_object,
)
from shared.ledger.postings import (
    TREASURY,
    IdempotencyConflict,
    LedgerRejected,
    movement,
    user_owner,
)
from shared.money import Token, to_minor
from shared.ports.clock import Clock

log = logging.getLogger("aia.payments")
RETURN_PATH = "/wallet/buy/return"  # where Stripe sends the buyer back (the web app's page)
Handler = Callable[[PaymentsUnit], str]


class UnknownPack(LookupError):
    pass


class Payments:
    def __init__(
        self,
        gateway: Callable[[], PaymentGateway],
        store: PaymentsStore,
        clock: Clock,
        packs: dict[str, Pack],
        app_base_url: str,
        user_exists: Callable[[str], bool],
        checkout_origin: str = "https://checkout.stripe.com",
    ) -> None:
        self._gateway = gateway
        self.store = store
        self.clock = clock
        self.packs = packs
        self.app_base_url = app_base_url
        self._user_exists = user_exists
        self.checkout_origin = checkout_origin  # where the buyer is sent to pay
        # no signed session can grant more than the largest pack (the CLI's test
        # sessions included): a bound on what a malformed or forged amount could do
        self.largest_aia_minor = max(to_minor(pack.aia) for pack in packs.values())

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
            # Stripe puts the session's id in place of {CHECKOUT_SESSION_ID}
            success_url=f"{self.app_base_url}{RETURN_PATH}?session_id={{CHECKOUT_SESSION_ID}}",
            cancel_url=f"{self.app_base_url}/wallet/buy?cancelled=1",
            idempotency_key=f"checkout:{user_id}:{idempotency_key}",
        )

    def purchase_status(self, user_id: str, session_id: str) -> Purchase | None:
        """The purchase `user_id` paid for with this Checkout session, once the signed
        webhook credited it; None until then, and for another buyer's session (it reads
        as not credited yet, so session ids tell nothing about other buyers)."""
        purchase = self.store.purchase_of_session(session_id)
        return purchase if purchase is not None and purchase.user_id == user_id else None

    def handle_webhook(self, payload: bytes, signature: str) -> str:
        """The outcome of a signed Stripe event. Raises InvalidSignature, Invalid (a
        malformed event, naming the field) or Conflict (the ledger refused: nothing was
        kept, so Stripe's retry will try again)."""
        self._gateway().verify_signature(payload, signature)
        event = parse_event(payload)
        handle = self._handler(event)  # validates data.object before anything is written
        try:
            outcome = self.store.handle_event(event.id, event.type, self.clock.now(), handle)
        except LedgerRejected as exc:
            log.error(
                "stripe event refused by the ledger",
                extra={"stripe_event": event.id, "reason": exc.reason},
            )
            raise Conflict(
                f"the ledger refused the event ({exc.reason}): {exc.detail}",
                problem="ledger-rejected",
            ) from None
        except IdempotencyConflict:
            raise Conflict(
                "the ledger already holds this event's posting with other terms",
                field="data.object.id",
                problem="ledger-conflict",
            ) from None
        if outcome is None:
            return "duplicate"
        log.info("stripe event handled", extra={"stripe_event": event.id, "outcome": outcome})
        return outcome

    def _handler(self, event: StripeEvent) -> Handler:
        if event.type in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
            paid = parse_object(
                CheckoutSessionObject, event, largest_aia_minor=self.largest_aia_minor
            )
            if event.type.endswith(".completed") and paid.payment_status != "paid":
                return lambda _: "awaiting_payment"
            # matched outside the transaction: the accounts store has its own connections
            user_id, amount = paid.client_reference_id, paid.aia_minor
            if not user_id or amount is None or not self._user_exists(user_id):
                log.error(
                    "paid session cannot be matched to a user and amount",
                    extra={"session": paid.id},
                )
                return lambda _: "unmatched"
            return lambda unit: self._fulfil(paid, user_id, amount, unit)
        if event.type == "charge.refunded":
            refunded = parse_object(ChargeObject, event)
            return lambda unit: self._refund(refunded, unit)
        return lambda _: "ignored"  # async_payment_failed, expired, …: nothing to grant

    def _fulfil(
        self, session: CheckoutSessionObject, user_id: str, amount: int, unit: PaymentsUnit
    ) -> str:
        receipt = unit.post(
            movement(
                "purchase",
                TREASURY,
                user_owner(user_id),
                Token.AIA,
                amount,
                key=f"stripe-session:{session.id}",
                actor="stripe",
                memo=f"Stripe {session.id}",
            )
        )
        if session.payment_intent:
            unit.add_purchase(
                Purchase(
                    payment_intent=session.payment_intent,
                    session_id=session.id,
                    user_id=user_id,
                    aia_minor=amount,
                    refunded_minor=0,
                    entry_id=receipt.entry_id,
                    created_at=unit.at,
                    updated_at=unit.at,
                )
            )
        return "already_credited" if receipt.replayed else "credited"

    def _refund(self, charge: ChargeObject, unit: PaymentsUnit) -> str:
        intent = charge.payment_intent
        purchase = unit.purchase(intent) if intent else None  # locked until commit
        if intent is None or purchase is None:
            return "unknown_purchase"
        if charge.amount == 0:
            return "ignored"
        # Refunds are cumulative on the charge: debit what this one adds to those before.
        owed = purchase.aia_minor * charge.amount_refunded // charge.amount
        due = owed - purchase.refunded_minor
        if due <= 0:
            return "already_refunded"
        owner = user_owner(purchase.user_id)
        wallet = unit.holdings([owner, TREASURY], Token.AIA)[owner]
        take = 0 if wallet.frozen else min(due, wallet.balance)
        if take > 0:
            unit.post(
                movement(
                    "purchase_refund",
                    owner,
                    TREASURY,
                    Token.AIA,
                    take,
                    key=f"stripe-refund:{intent}:{charge.amount_refunded}",
                    actor="stripe",
                    memo=f"refund {intent}",
                )
            )
        if take < due:
            # Spent (or frozen) before the refund: freeze the wallet, leave it to an operator.
            unit.freeze(owner)
            unit.audit("stripe", "refund_shortfall", owner, {"due": due, "taken": take})
        unit.record_refunded(intent, owed)
        return "debited" if take == due else "debited_partially"


__all__ = ["Payments", "UnknownPack"]
