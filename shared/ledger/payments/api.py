"""HTTP routes: start a Checkout for an AIA pack; receive Stripe's signed webhook."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.api.idempotency import idempotency_key
from shared.api.spec import ApiError, ApiRequest, FieldError, Reply, route
from shared.ledger.payments.gateway import InvalidSignature, PaymentsNotConfigured
from shared.ledger.payments.packs import DEFAULT_PACKS, Pack
from shared.ledger.payments.service import UnknownPack
from shared.money import to_decimal

if TYPE_CHECKING:  # the root is above this layer: only its type is named here
    from shared.bootstrap.features import Features

SESSION_ID = re.compile(r"[A-Za-z0-9_]{1,255}")


class CheckoutRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"pack": "aia-1000"}]}
    )
    pack: str = Field(description="One of the packs listed by GET /v1/payments/packs")


class CheckoutStarted(BaseModel):
    session_id: str = Field(description="The Stripe Checkout session's id")
    checkout_url: str = Field(
        description="Send the buyer here to pay; the AIA is credited when Stripe confirms"
    )


class PackList(BaseModel):
    packs: dict[str, Pack] = Field(description="The packs on sale, by the id to buy them with")


class CheckoutStatus(BaseModel):
    session_id: str = Field(description="The Stripe Checkout session's id")
    status: Literal["pending", "credited"] = Field(
        description="`pending`: Stripe has not confirmed a payment for this session to the "
        "platform yet (the signed webhook credits it, usually within seconds of paying; an "
        "abandoned or another buyer's session stays pending); `credited`: the AIA is in "
        "your wallet"
    )
    aia: str | None = Field(description="AIA credited, as a decimal string; null while pending")
    refunded: str | None = Field(
        description="AIA taken back by refunds of the payment so far; null while pending"
    )
    credited_at: datetime | None = Field(description="When the AIA was credited (UTC)")


def checkout_status(features: Features, user_id: str, session_id: str) -> CheckoutStatus:
    """What `GET /v1/payments/checkout/{session_id}` answers, and the return page shows."""
    purchase = features.payments.purchase_status(user_id, session_id)
    if purchase is None:
        return CheckoutStatus(
            session_id=session_id, status="pending", aia=None, refunded=None, credited_at=None
        )
    return CheckoutStatus(
        session_id=session_id,
        status="credited",
        aia=to_decimal(purchase.aia_minor),
        refunded=to_decimal(purchase.refunded_minor),
        credited_at=purchase.created_at,
    )


def get_checkout(req: ApiRequest) -> CheckoutStatus:
    user = req.require_principal().user_id
    session_id = req.path_params["session_id"]
    if not SESSION_ID.fullmatch(session_id):
        raise ApiError(404, "not a Checkout session id (cs_...)")
    return checkout_status(req.features, user, session_id)


def list_packs(_: ApiRequest) -> PackList:
    return PackList(packs=DEFAULT_PACKS)


def checkout(req: ApiRequest[CheckoutRequest]) -> Reply:
    user = req.require_principal().user_id
    key = idempotency_key(req, required=False)
    try:
        session = req.features.payments.checkout(user, req.body.pack, key)
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
        outcome = req.features.payments.handle_webhook(req.raw_body, signature)
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
    route(
        "GET", "/v1/payments/packs", list_packs, "AIA packs on sale", "payments", response=PackList
    ),
    route(
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
        idempotency_key="optional",
    ),
    route(
        "GET",
        "/v1/payments/checkout/{session_id}",
        get_checkout,
        "Whether a Checkout you started has been credited",
        "payments",
        response=CheckoutStatus,
        auth="user",
        errors=(404,),
        description="Stripe sends the buyer back to the app with the session's id; the AIA "
        "is credited when Stripe's signed webhook confirms the payment, which may come "
        "a little before or after. Poll this until `status` is `credited`.",
    ),
    route(
        "POST",
        "/v1/payments/stripe/webhook",
        stripe_webhook,
        "Stripe webhook (signed)",
        "payments",
        raw_body=True,
        errors=(400, 409, 503),
    ),
]
