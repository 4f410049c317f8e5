"""HTTP routes: start a Checkout for an AIA pack; receive Stripe's signed webhook."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shared.api.idempotency import idempotency_key
from shared.api.spec import ApiError, ApiRequest, FieldError, Reply, route
from shared.ledger.payments.gateway import InvalidSignature, PaymentsNotConfigured
from shared.ledger.payments.packs import DEFAULT_PACKS, Pack
from shared.ledger.payments.service import UnknownPack


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
        "POST",
        "/v1/payments/stripe/webhook",
        stripe_webhook,
        "Stripe webhook (signed)",
        "payments",
        raw_body=True,
        errors=(400, 409, 503),
    ),
]
