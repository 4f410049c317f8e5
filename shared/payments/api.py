"""HTTP routes: start a Checkout for an AIA pack; receive Stripe's signed webhook."""

from __future__ import annotations

import threading

from pydantic import BaseModel, ConfigDict, Field

from shared.accounts.compose import accounts
from shared.api.spec import ApiError, ApiRequest, FieldError, Reply, Route
from shared.ledger.api import idempotency_key
from shared.ledger.compose import ledger
from shared.payments.gateway import InvalidSignature, PaymentGateway, PaymentsNotConfigured
from shared.payments.packs import DEFAULT_PACKS, Pack
from shared.payments.service import Payments, UnknownPack
from shared.platform import Platform
from shared.ports.secrets import SecretNotFound

_lock = threading.Lock()


class CheckoutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pack: str = Field(description="One of the packs listed by GET /v1/payments/packs")


class CheckoutStarted(BaseModel):
    session_id: str
    checkout_url: str


class PackList(BaseModel):
    packs: dict[str, Pack]


def payments(platform: Platform) -> Payments:
    feature = platform.features.get("payments")
    if feature is None:
        with _lock:
            feature = platform.features.get("payments")
            if feature is None:
                store = accounts(platform).service.store
                feature = Payments(
                    gateway=lambda: _gateway(platform),
                    book=ledger(platform),
                    documents=platform.documents,
                    packs=DEFAULT_PACKS,
                    app_base_url=platform.settings.app_base_url,
                    user_exists=lambda user_id: store.user_by_id(user_id) is not None,
                )
                platform.features["payments"] = feature
    assert isinstance(feature, Payments)
    return feature


def _gateway(platform: Platform) -> PaymentGateway:
    from shared.adapters.stripe.gateway import StripeGateway

    return StripeGateway(
        _optional_secret(platform, "stripe-secret-key"),
        _optional_secret(platform, "stripe-webhook-secret"),
        platform.settings.stripe_api_base,
    )


def _optional_secret(platform: Platform, name: str) -> str | None:
    try:
        return platform.secrets.get(name)
    except SecretNotFound:
        return None


def list_packs(_: ApiRequest) -> PackList:
    return PackList(packs=DEFAULT_PACKS)


def checkout(req: ApiRequest) -> Reply:
    user = req.require_principal().user_id
    key = idempotency_key(req, required=False)
    try:
        session = payments(req.platform).checkout(user, req.body.pack, key)
    except PaymentsNotConfigured as exc:
        raise ApiError(503, f"payments are not configured: {exc}") from None
    except UnknownPack:
        raise ApiError(
            400, f"unknown pack {req.body.pack!r}", errors=[FieldError("pack", "unknown pack")]
        ) from None
    return Reply(CheckoutStarted(session_id=session.id, checkout_url=session.url), status=201)


def stripe_webhook(req: ApiRequest) -> Reply:
    signature = req.headers.get("stripe-signature", "")
    if not signature:
        raise ApiError(
            400,
            "missing Stripe-Signature header",
            errors=[FieldError("Stripe-Signature", "missing", "header")],
        )
    try:
        outcome = payments(req.platform).handle_webhook(req.raw_body, signature)
    except PaymentsNotConfigured as exc:
        raise ApiError(503, f"payments are not configured: {exc}") from None
    except InvalidSignature as exc:
        raise ApiError(
            400,
            f"invalid signature: {exc}",
            errors=[FieldError("Stripe-Signature", "invalid", "header")],
        ) from None
    return Reply({"received": True, "outcome": outcome})


ROUTES = [
    Route(
        "GET", "/v1/payments/packs", list_packs, "AIA packs on sale", "payments", response=PackList
    ),
    Route(
        "POST",
        "/v1/payments/checkout",
        checkout,
        "Start a Stripe Checkout for an AIA pack",
        "payments",
        body=CheckoutRequest,
        response=CheckoutStarted,
        status=201,
        auth="user",
        errors=(503,),
    ),
    Route(
        "POST",
        "/v1/payments/stripe/webhook",
        stripe_webhook,
        "Stripe webhook (signed)",
        "payments",
        raw_body=True,
        errors=(400, 503),
    ),
]
