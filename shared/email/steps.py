"""The routes of the `email-send` HTTP function, which journeys (Cloud Workflows, OIDC)
and Cloud Tasks call; Cloud Run IAM is its authentication (it is not public).

- `POST /send`: run the send step now; 200 with the outcome (also for a duplicate,
  a suppression, a bounce), 400 for a bad request, 503 + Retry-After to be retried.
- `POST /enqueue`: queue the send on the rate-limited queue of its stream; 202.
- `POST /fan-out?cursor=`: one page of a bulk send, a queued send per recipient."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from shared.api.problems import field_errors, validation_failed
from shared.api.spec import AnyRequest, ApiError, ApiRequest, Reply, route
from shared.email.delivery import TransientDeliveryError
from shared.email.fanout import Cursor, FanOutRequest, fan_out
from shared.email.sending import (
    InvalidSendRequest,
    SendInProgress,
    SendRequest,
    enqueue,
    send_one,
)
from shared.errors import Unavailable


class EmailSendOutcome(BaseModel):
    key: str = Field(
        description="The send's idempotency key (journey, step and recipient): sent once"
    )
    status: str = Field(
        description="sent; suppressed (the address bounced or complained, or its owner "
        "turned the category off); skipped (no recipient, or no longer needed); bounced or "
        "rejected (the provider refused it; a bounce suppresses the address)"
    )
    duplicate: bool = Field(
        description="True when this send was already done: its first outcome is answered"
    )
    message_id: str | None = Field(
        default=None, description="The mail provider's message id; null when nothing was sent"
    )
    backend: str | None = Field(
        default=None, description="The mail backend that sent it; null when nothing was sent"
    )
    reason: str | None = Field(default=None, description="Why it was not sent; null when sent")


class EmailQueued(BaseModel):
    key: str
    task: str


class EmailFanOutPage(BaseModel):
    enqueued: int
    more: bool
    next_cursor: str | None
    skipped: bool = False


def context_problem(error: InvalidSendRequest) -> ApiError:
    return validation_failed(field_errors(error.error, prefix="context."), what="context")


def retry_later(detail: str, seconds: float | None) -> Unavailable:
    return Unavailable(detail, retry_after=max(1, int(seconds or 10)))


def run_send(req: AnyRequest, request: SendRequest) -> dict[str, Any]:
    try:
        return send_one(req.features.email, request).as_dict()
    except InvalidSendRequest as exc:
        raise context_problem(exc) from None
    except TransientDeliveryError as exc:
        raise retry_later(f"delivery failed, retry later: {exc.reason}", exc.retry_after) from None
    except SendInProgress as exc:
        raise retry_later(str(exc), 30) from None


def send(req: ApiRequest[SendRequest]) -> dict[str, Any]:
    return run_send(req, req.body)


def enqueue_send(req: ApiRequest[SendRequest]) -> Reply:
    request = req.body
    try:
        task = enqueue(req.features.email, request)
    except InvalidSendRequest as exc:
        raise context_problem(exc) from None
    return Reply(EmailQueued(key=request.key(), task=task), status=202)


def fan_out_page(req: ApiRequest[FanOutRequest, Cursor]) -> dict[str, Any]:
    cursor = req.query
    try:
        return fan_out(req.features.email, req.body, cursor.cursor)
    except InvalidSendRequest as exc:
        raise context_problem(exc) from None


ROUTES = [
    route(
        "POST",
        "/send",
        send,
        "Send one email now (idempotent per journey, step and recipient)",
        "email-send",
        body=SendRequest,
        response=EmailSendOutcome,
        errors=(400, 503),
    ),
    route(
        "POST",
        "/enqueue",
        enqueue_send,
        "Queue one email on its rate-limited stream",
        "email-send",
        body=SendRequest,
        response=EmailQueued,
        status=202,
        errors=(400,),
    ),
    route(
        "POST",
        "/fan-out",
        fan_out_page,
        "Queue one page of a bulk email, one task per recipient",
        "email-send",
        body=FanOutRequest,
        query=Cursor,
        response=EmailFanOutPage,
        errors=(400,),
    ),
]
