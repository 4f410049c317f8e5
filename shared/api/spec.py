from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypedDict, overload

from pydantic import BaseModel
from typing_extensions import TypeVar, Unpack

from shared.platform import Platform

if TYPE_CHECKING:  # the root is above this layer: only its type is named here
    from shared.bootstrap.features import Features

Auth = Literal["none", "user", "admin"]
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
PROBLEM_BASE = "https://api.013a.tech/problems/"


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    location: str = "body"
    code: str = "invalid"

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "in": self.location,
            "message": self.message,
            "code": self.code,
        }


class ApiError(Exception):
    """An error answered as application/problem+json (RFC 9457)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        problem: str | None = None,
        errors: list[FieldError] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or _TITLES.get(status, "Error")
        self.problem = problem or self.title.lower().replace(" ", "-")
        self.errors = errors or []
        self.headers = dict(headers or {})

    def body(self, instance: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.problem,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        }
        if self.errors:
            body["errors"] = [e.as_dict() for e in self.errors]
        return body


_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class Principal:
    """Who is calling: set by the accounts layer from a bearer token or API key."""

    user_id: str
    roles: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()
    via: str = "token"
    verified: bool = False  # the account's email address is verified

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


# What a route's request body and query string are validated into; a route without a body
# (or query) has None there, so a plain `ApiRequest` is a request with neither.
Body = TypeVar("Body", default=None)
Query = TypeVar("Query", default=None)


@dataclass
class ApiRequest(Generic[Body, Query]):
    features: Features
    path_params: dict[str, str]
    headers: Mapping[str, str]  # keys lower-cased
    client_ip: str
    url: str
    body: Body
    query: Query
    raw_body: bytes = b""
    principal: Principal | None = None

    @property
    def platform(self) -> Platform:
        return self.features.platform

    def require_principal(self) -> Principal:
        if self.principal is None:
            raise ApiError(401, "authentication required", headers={"WWW-Authenticate": "Bearer"})
        return self.principal


@dataclass
class Reply:
    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str = "application/json"


AnyRequest = ApiRequest[Any, Any]
"""A request as the edge and the guards see it, whatever its route's models."""
Handler = Callable[[AnyRequest], Any]
_PARAM = re.compile(r"{([a-z_][a-z0-9_]*)}")


@dataclass(frozen=True)
class Route:
    method: Method
    path: str
    handler: Handler
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    auth: Auth = "none"
    media_type: str = "application/json"
    # success bodies in other media types a query asks for (their schema: a string)
    other_media_types: tuple[str, ...] = ()
    errors: tuple[int, ...] = ()
    description: str = ""
    rate_limit: str | None = None
    raw_body: bool = False  # hand the handler the exact bytes (signed webhooks)
    # an idempotent create: a repeat of a request already handled answers 200, not `status`
    replays: bool = False

    @property
    def path_params(self) -> list[str]:
        return _PARAM.findall(self.path)

    @property
    def operation_id(self) -> str:
        return self.handler.__name__

    @property
    def throttled(self) -> bool:
        """Rate-limited (429): every route but the probes and scrapes of `system`."""
        return self.tag != "system"

    @property
    def reads_body(self) -> bool:
        """Reads the request body, so a body over the size limit is answered 413."""
        return self.body is not None or self.raw_body


class RouteOptions(TypedDict, total=False):
    response: type[BaseModel] | None
    status: int
    auth: Auth
    media_type: str
    other_media_types: tuple[str, ...]
    errors: tuple[int, ...]
    description: str
    rate_limit: str | None
    raw_body: bool
    replays: bool


# `route` checks that a handler's request type names the models its route validates: a
# handler of `ApiRequest[Transfer]` declared with `body=Stake`, or without a body, is a
# type error. (A list of `Route` gives its items no such check: its context is `Any`.)
@overload
def route(
    method: Method,
    path: str,
    handler: Callable[[ApiRequest[None, None]], Any],
    summary: str,
    tag: str,
    *,
    body: None = None,
    query: None = None,
    **options: Unpack[RouteOptions],
) -> Route: ...
@overload
def route(
    method: Method,
    path: str,
    handler: Callable[[ApiRequest[Body, None]], Any],
    summary: str,
    tag: str,
    *,
    body: type[Body],
    query: None = None,
    **options: Unpack[RouteOptions],
) -> Route: ...
@overload
def route(
    method: Method,
    path: str,
    handler: Callable[[ApiRequest[None, Query]], Any],
    summary: str,
    tag: str,
    *,
    body: None = None,
    query: type[Query],
    **options: Unpack[RouteOptions],
) -> Route: ...
@overload
def route(
    method: Method,
    path: str,
    handler: Callable[[ApiRequest[Body, Query]], Any],
    summary: str,
    tag: str,
    *,
    body: type[Body],
    query: type[Query],
    **options: Unpack[RouteOptions],
) -> Route: ...
def route(
    method: Method,
    path: str,
    handler: Callable[[Any], Any],
    summary: str,
    tag: str,
    *,
    body: type[Any] | None = None,
    query: type[Any] | None = None,
    **options: Unpack[RouteOptions],
) -> Route:
    return Route(method, path, handler, summary, tag, body=body, query=query, **options)
