"""The send step: one email to one recipient, exactly once per idempotency key
(execution + step + recipient). It validates the typed context, claims the key, checks
the suppression list, the recipient's preferences and the step's condition, renders,
composes and hands the message to the adapter for its category, then settles the key.

Failures: a transient delivery error releases the key and raises (the caller answers 503
and Cloud Tasks or Workflows retries with backoff); a permanent one settles the key as
`bounced` (the address is suppressed as a hard bounce) or `rejected`, never retried."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, model_validator

from shared.api.params import Instant
from shared.email import counters
from shared.email.contexts import Context
from shared.email.delivery import PermanentDeliveryError, TransientDeliveryError
from shared.email.feature import EmailFeature
from shared.email.message import compose
from shared.email.render import Links, Recipient, render
from shared.email.send_log import Claim
from shared.email.types import EmailSpec, EmailType, spec_for, validate_context

log = logging.getLogger("aia.email")
SEND_FUNCTION = "email-send"
Status = Literal["sent", "suppressed", "skipped", "bounced", "rejected"]


class InvalidSendRequest(ValueError):
    def __init__(self, error: ValidationError) -> None:
        super().__init__(str(error))
        self.error = error


class SendInProgress(RuntimeError):
    """Another run holds this key's lease: retry shortly."""


class SendRequest(BaseModel):
    """One email: the type, its typed context, the recipient (an address, or a user id
    resolved from accounts at send time), and the idempotency key's parts."""

    model_config = ConfigDict(extra="forbid")

    type: EmailType
    journey: str = Field(
        min_length=1, max_length=300, description="The execution (journey run) sending it"
    )
    step: str = Field(min_length=1, max_length=100, description="The step within the journey")
    to: EmailStr | None = None
    name: str | None = Field(default=None, max_length=200)
    user_id: str | None = Field(default=None, max_length=100)
    context: dict[str, Any] = Field(default_factory=dict)
    unless_active_since: Instant | None = Field(
        default=None, description="Skip if the user was active at or after this time"
    )

    @model_validator(mode="after")
    def _someone(self) -> SendRequest:
        if self.to is None and self.user_id is None:
            raise ValueError("either `to` or `user_id` is required")
        return self

    @property
    def recipient_key(self) -> str:
        return self.to.lower() if self.to else f"user:{self.user_id}"

    def key(self) -> str:
        return idempotency_key(self.journey, self.step, self.recipient_key)

    def typed_context(self) -> Context:
        try:
            return validate_context(self.type, self.context)
        except ValidationError as exc:
            raise InvalidSendRequest(exc) from None


def idempotency_key(execution: str, step: str, recipient: str) -> str:
    return hashlib.sha256(f"{execution}\x1f{step}\x1f{recipient}".encode()).hexdigest()


@dataclass(frozen=True)
class SendOutcome:
    key: str
    status: Status
    duplicate: bool = False
    message_id: str | None = None
    backend: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "status": self.status,
            "duplicate": self.duplicate,
            "message_id": self.message_id,
            "backend": self.backend,
            "reason": self.reason,
        }


def send_one(feature: EmailFeature, request: SendRequest) -> SendOutcome:
    spec = spec_for(request.type)
    context = request.typed_context()  # 400 before anything is claimed
    started = time.perf_counter()
    try:
        return _send(feature, request, spec, context)
    finally:
        counters.send_latency.labels(spec.type.value).observe(time.perf_counter() - started)


def _send(
    feature: EmailFeature, request: SendRequest, spec: EmailSpec, context: Context
) -> SendOutcome:
    clock = feature.clock
    key = request.key()
    claim = feature.ledger.claim(key, spec.type.value, clock.now())
    if claim.outcome == "settled":
        counters.emails_duplicates.labels(spec.type.value).inc()
        record = claim.record
        return SendOutcome(
            key,
            record["status"],
            duplicate=True,
            message_id=record.get("message_id"),
            backend=record.get("backend"),
            reason=record.get("reason"),
        )
    if claim.outcome == "busy":
        raise SendInProgress(f"send {key[:12]} is in progress elsewhere")

    def settle(status: Status, reason: str) -> SendOutcome:
        feature.ledger.settle(key, claim, status, clock.now(), reason=reason)
        counters.emails_suppressed.labels(spec.type.value, reason).inc()
        log.info("email not sent", extra={"type": spec.type.value, "reason": reason})
        return SendOutcome(key, status, reason=reason)

    address, name, user_id = _recipient(feature, request)
    if address is None:
        return settle("skipped", "no_recipient")
    category = spec.category.value
    blocked = feature.suppressions.reason_blocking(address, category, spec.transactional)
    if blocked:
        return settle("suppressed", blocked)
    if user_id and not feature.preferences.allows(user_id, category):
        return settle("suppressed", "preference")
    if user_id and request.unless_active_since is not None:
        seen = feature.activity.last_seen(user_id)
        if seen is not None and seen >= request.unless_active_since:
            return settle("skipped", "active")
    return _deliver(feature, spec, context, claim, key, address, name, user_id)


def _recipient(feature: EmailFeature, request: SendRequest) -> tuple[str | None, str, str | None]:
    """(address, display name, user id). A user id alone is resolved from the account
    directory now, so a changed address or a disabled account is honoured."""
    if request.to is not None:
        address = str(request.to)
        return address, request.name or address.split("@", 1)[0], request.user_id
    assert request.user_id is not None
    account = feature.directory.account(request.user_id)
    if account is None or account.disabled:
        return None, "", request.user_id
    return account.email, request.name or account.name, account.user_id


def _deliver(
    feature: EmailFeature,
    spec: EmailSpec,
    context: Context,
    claim: Claim,
    key: str,
    address: str,
    name: str,
    user_id: str | None,
) -> SendOutcome:
    settings = feature.settings
    domain = settings.primary_domain
    clock = feature.clock
    unsubscribe = (
        None
        if spec.transactional
        else feature.unsubscribe_url(address, spec.category.value, user_id)
    )
    rendered = render(
        spec,
        context,
        recipient=Recipient(address, name),
        links=Links(settings.app_base_url, feature.preferences_url, unsubscribe),
        sender_name=spec.display_name,
        domain=domain,
    )
    mail = compose(
        spec,
        rendered,
        key=key,
        recipient=address,
        recipient_name=name,
        sender_name=spec.display_name,
        domain=domain,
        reply_to=feature.reply_to(spec),
        date=clock.now(),
        unsubscribe_url=unsubscribe,
    )
    try:
        backend, provider_id = feature.router.deliver(mail)
    except TransientDeliveryError as exc:
        feature.ledger.release(key, claim, exc.reason)
        counters.emails_failed.labels(spec.type.value, "transient").inc()
        log.warning("email delivery failed; will retry", extra={"reason": exc.reason})
        raise
    except PermanentDeliveryError as exc:
        status: Status = "bounced" if exc.recipient_fault else "rejected"
        if exc.recipient_fault:
            feature.suppressions.suppress(address, "hard_bounce", clock.now(), exc.reason)
        feature.ledger.settle(key, claim, status, clock.now(), reason=exc.reason[:300])
        counters.emails_failed.labels(spec.type.value, "permanent").inc()
        log.error("email delivery failed for good", extra={"reason": exc.reason, "to": status})
        return SendOutcome(key, status, message_id=mail.message_id, reason=exc.reason)
    except Exception:
        feature.ledger.release(key, claim, "unexpected error")
        counters.emails_failed.labels(spec.type.value, "error").inc()
        raise
    feature.ledger.settle(
        key,
        claim,
        "sent",
        clock.now(),
        message_id=mail.message_id,
        provider_id=provider_id,
        backend=backend,
    )
    counters.emails_sent.labels(spec.type.value, backend).inc()
    log.info("email sent", extra={"type": spec.type.value, "backend": backend})
    return SendOutcome(key, "sent", message_id=mail.message_id, backend=backend)


def enqueue(feature: EmailFeature, request: SendRequest) -> str:
    """Queue the send on the rate-limited Cloud Tasks queue of its stream; the task is
    named after the idempotency key, so enqueuing twice queues it once."""
    request.typed_context()  # reject a bad context now, not in the task
    spec = spec_for(request.type)
    return feature.tasks.enqueue(
        spec.stream.value,
        SEND_FUNCTION,
        request.model_dump(mode="json", exclude_none=True),
        task_id=f"email-{request.key()}",
        path="/send",
    )
