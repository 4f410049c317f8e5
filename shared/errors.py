"""Errors the domain raises when one of its rules says no. Domain code knows nothing of
HTTP: it raises one of these, and the HTTP edge (`shared.adapters.http.app`) answers it
as problem+json with the status its kind maps to. Event handlers treat them as poison
input (nothing a retry would change)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

Kind = Literal[
    "invalid",
    "unauthenticated",
    "payment_required",
    "forbidden",
    "not_found",
    "conflict",
    "too_many",
    "unavailable",
]


class DomainError(Exception):
    """A rule said no. `field` names the input at fault (body field, query parameter or
    header), `problem` a stable slug for clients, `retry_after` seconds for limits,
    `extra` facts a client acts on (answered as problem members, e.g. `needed_minor`)."""

    kind: ClassVar[Kind] = "invalid"

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        location: str = "body",
        problem: str | None = None,
        retry_after: int | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.location = location
        self.problem = problem
        self.retry_after = retry_after
        self.extra = dict(extra or {})  # more facts for clients, as problem members


class Invalid(DomainError):
    kind = "invalid"


class Unauthenticated(DomainError):
    kind = "unauthenticated"


class PaymentRequired(DomainError):
    kind = "payment_required"


class Forbidden(DomainError):
    kind = "forbidden"


class NotFound(DomainError):
    kind = "not_found"

    def __init__(
        self, what: str, ident: str, *, detail: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(detail or f"no {what} with id {ident}", problem="not-found", field=field)
        self.what = what
        self.ident = ident


class Conflict(DomainError):
    kind = "conflict"


class TooMany(DomainError):
    """A limit or quota is used up; `retry_after` says when it frees (None: not soon)."""

    kind = "too_many"


class Unavailable(DomainError):
    kind = "unavailable"
