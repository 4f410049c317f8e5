"""Stripe through its official library: Checkout Sessions created with an idempotency
key, webhooks verified with the library's own signature scheme (HMAC-SHA256 over
"{timestamp}.{raw body}", 300 s tolerance)."""

from __future__ import annotations

import stripe

from shared.ledger.payments.gateway import CheckoutSession, InvalidSignature, PaymentsNotConfigured

TOLERANCE_SECONDS = 300


class StripeGateway:
    def __init__(
        self, secret_key: str | None, webhook_secret: str | None, api_base: str | None = None
    ) -> None:
        self._client = (
            stripe.StripeClient(
                secret_key,
                base_addresses={"api": api_base} if api_base else None,
                max_network_retries=2,
            )
            if secret_key
            else None
        )
        self._webhook_secret = webhook_secret

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
    ) -> CheckoutSession:
        if self._client is None:
            raise PaymentsNotConfigured("the secret stripe-secret-key is not set")
        session = self._client.v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "client_reference_id": user_id,
                "metadata": {"aia_amount": aia_amount, "pack": pack_id, "user_id": user_id},
                "payment_intent_data": {"metadata": {"aia_amount": aia_amount, "user_id": user_id}},
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": currency,
                            "unit_amount": price_cents,
                            "product_data": {"name": name},
                        },
                    }
                ],
                "success_url": success_url,
                "cancel_url": cancel_url,
            },
            options={"idempotency_key": idempotency_key},
        )
        return CheckoutSession(id=session.id, url=session.url or "")

    def verify_signature(self, payload: bytes, signature_header: str) -> None:
        if not self._webhook_secret:
            raise PaymentsNotConfigured("the secret stripe-webhook-secret is not set")
        try:
            stripe.WebhookSignature.verify_header(
                payload.decode(), signature_header, self._webhook_secret, TOLERANCE_SECONDS
            )
        except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError) as exc:
            raise InvalidSignature(str(exc)) from None


def signature_header(payload: str, secret: str, timestamp: int) -> str:
    """A `Stripe-Signature` value made with the library's own scheme (for local
    testing of the webhook: `aia stripe-webhook`)."""
    digest = stripe.WebhookSignature._compute_signature(f"{timestamp}.{payload}", secret)
    return f"t={timestamp},v1={digest}"
