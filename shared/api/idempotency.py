"""The `Idempotency-Key` header: a client's name for one intended operation, so that a
retried request (after a timeout, a dropped connection) is done once."""

from __future__ import annotations

import uuid

from shared.api.spec import AnyRequest, ApiError, FieldError

MAX_LENGTH = 200


def idempotency_key(req: AnyRequest, required: bool = True) -> str:
    """The request's key; without one: 400 naming the header if `required`, else a fresh
    key (the operation is then simply not deduplicated)."""
    key = req.headers.get("idempotency-key", "").strip()
    if not key:
        if required:
            raise ApiError(
                400,
                "the Idempotency-Key header is required",
                errors=[FieldError("Idempotency-Key", "missing", "header", "missing")],
            )
        return uuid.uuid4().hex
    if len(key) > MAX_LENGTH:
        raise ApiError(
            400,
            "Idempotency-Key is too long",
            errors=[FieldError("Idempotency-Key", f"at most {MAX_LENGTH} characters", "header")],
        )
    return key
