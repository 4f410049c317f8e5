"""Bulk sends (economic reports, governance): a journey step asks for one page of the
audience at a time, and each recipient gets a send task on the bulk queue, whose rate
limit is the platform's sending rate. The audience is every active account; who opted
out is decided by the send step itself, at send time."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shared.email.feature import EmailFeature
from shared.email.sending import InvalidSendRequest, SendRequest, enqueue
from shared.email.types import EmailType, spec_for, validate_context
from shared.ports.workflows import ExecutionNotFound


class FanOutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: EmailType
    journey: str = Field(min_length=1, max_length=300)
    step: str = Field(min_length=1, max_length=100)
    context: dict[str, Any] = Field(default_factory=dict)
    page_size: int = Field(default=200, ge=1, le=1000)
    unless_execution: str | None = Field(
        default=None,
        max_length=300,
        description="Send nothing if a workflow execution with this id was started "
        "(e.g. no vote reminder once the result journey runs)",
    )

    @field_validator("type")
    @classmethod
    def _not_security(cls, value: EmailType) -> EmailType:
        if spec_for(value).transactional:
            raise ValueError("security mail goes to one account, never to an audience")
        return value


class Cursor(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(default=None, pattern=r"^\d{1,9}$")


def fan_out(feature: EmailFeature, request: FanOutRequest, cursor: str | None) -> dict[str, Any]:
    try:
        validate_context(request.type, request.context)
    except ValidationError as exc:
        raise InvalidSendRequest(exc) from None
    if request.unless_execution and _started(feature, request.unless_execution):
        return {"enqueued": 0, "more": False, "next_cursor": None, "skipped": True}
    offset = int(cursor or 0)
    accounts = feature.audience.accounts_page(request.page_size, offset)
    enqueued = 0
    for account in accounts:
        if account.disabled:
            continue
        enqueue(
            feature,
            SendRequest(
                type=request.type,
                journey=request.journey,
                step=request.step,
                to=account.email,
                name=account.name,
                user_id=account.user_id,
                context=request.context,
            ),
        )
        enqueued += 1
    more = len(accounts) == request.page_size
    return {
        "enqueued": enqueued,
        "more": more,  # a boolean for the workflow: workflows-emulator has no `null` literal
        "next_cursor": str(offset + len(accounts)) if more else None,
    }


def _started(feature: EmailFeature, execution_id: str) -> bool:
    try:
        feature.workflows.status(execution_id)
    except ExecutionNotFound:
        return False
    return True
