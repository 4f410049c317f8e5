"""The payment provider's port: what the payments feature needs from Stripe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class InvalidSignature(ValueError):
    pass


class PaymentsNotConfigured(RuntimeError):
    """The provider's credentials are not set (checkout needs the secret key, the
    webhook its signing secret)."""


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str


class PaymentGateway(Protocol):
    def create_checkout_session(
        self,
        *,
        user_id: str,
        pack_id: str,
        name: str,
        price_cents: int,
        currency: str,
        aia_amount: str,
        success_url: str,
        cancel_url: str,
        idempotency_key: str,
    ) -> CheckoutSession: ...

    def verify_signature(self, payload: bytes, signature_header: str) -> None:
        """Check the webhook signature (and its age) over the raw body. Raises
        InvalidSignature. The payload is parsed and validated by the feature
        (`shared.ledger.payments.stripe_events`), not here."""
        ...
