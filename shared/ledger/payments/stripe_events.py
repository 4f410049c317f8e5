"""Stripe webhook events as the payments feature accepts them. A signed payload is still
input: it is parsed and validated here, at the feature's edge, so a malformed one is
refused with the field at fault (400) and never reaches the ledger."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from shared.errors import Invalid
from shared.money import CAPS, DECIMALS, Token, in_tokens, to_minor

PROBLEM = "invalid-stripe-event"
StripeId = Annotated[str, Field(min_length=1, max_length=255)]
# Stripe amounts are integers in the currency's smallest unit, well below this
Cents = Annotated[StrictInt, Field(ge=0, le=10**12)]
M = TypeVar("M", bound=BaseModel)
_DECIMAL = re.compile(rf"[0-9]{{1,15}}(\.[0-9]{{1,{DECIMALS}}})?", re.ASCII)


class _Stripe(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class EventData(_Stripe):
    object: dict[str, Any]


class StripeEvent(_Stripe):
    id: StripeId
    type: Annotated[str, Field(min_length=1, max_length=100)]
    data: EventData


class SessionMetadata(_Stripe):
    # Stripe's metadata values are strings; ours carries the AIA the pack grants
    aia_amount: str | None = None

    @field_validator("aia_amount")
    @classmethod
    def _amount(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        if not _DECIMAL.fullmatch(value):
            raise ValueError(f"must be a decimal number of AIA with at most {DECIMALS} decimals")
        minor = to_minor(value)
        largest: int = (info.context or {}).get("largest_aia_minor", CAPS[Token.AIA])
        if not 0 < minor <= largest:
            raise ValueError(f"must be more than 0 and at most {in_tokens(largest, Token.AIA)}")
        return value


class CheckoutSessionObject(_Stripe):
    id: StripeId
    client_reference_id: Annotated[str, Field(max_length=255)] | None = None
    payment_status: Annotated[str, Field(max_length=40)] | None = None
    payment_intent: StripeId | None = None
    metadata: SessionMetadata | None = None

    @property
    def aia_minor(self) -> int | None:
        amount = self.metadata.aia_amount if self.metadata else None
        return None if amount is None else to_minor(amount)


class ChargeObject(_Stripe):
    id: StripeId
    payment_intent: StripeId | None = None
    amount: Cents
    amount_refunded: Cents  # cumulative over every refund of the charge

    @field_validator("amount_refunded")
    @classmethod
    def _within_amount(cls, value: int, info: ValidationInfo) -> int:
        if "amount" in info.data and value > info.data["amount"]:
            raise ValueError("must not exceed the charge's amount")
        return value


def parse_event(payload: bytes) -> StripeEvent:
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        raise Invalid("the Stripe event is not JSON", field="body", problem=PROBLEM) from None
    return _validated(StripeEvent, data, "")


def parse_object(model: type[M], event: StripeEvent, **context: Any) -> M:
    """The event's `data.object` as `model` (e.g. a CheckoutSessionObject)."""
    return _validated(model, event.data.object, "data.object", context)


def _validated(model: type[M], data: Any, prefix: str, context: dict[str, Any] | None = None) -> M:
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        problems = [
            (".".join([prefix, *map(str, err["loc"])]).strip(".") or "body", err["msg"])
            for err in exc.errors(include_url=False)
        ]
        raise Invalid(
            "invalid Stripe event: " + "; ".join(f"{field}: {msg}" for field, msg in problems),
            field=problems[0][0],
            problem=PROBLEM,
        ) from None
