"""What a page is: a path, the methods it answers, and a handler from a `PageRequest` (the
form and query as text, the signed-in user if any) to a `PageReply` (HTML, or a redirect,
and what to do with the browser session)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from shared.api.spec import Principal

if TYPE_CHECKING:  # the root is above this layer: only its type is named here
    from shared.bootstrap.features import Features

Method = Literal["GET", "POST"]


@dataclass
class PageRequest:
    features: Features
    method: Method
    path_params: Mapping[str, str]
    query: Mapping[str, str]
    form: Mapping[str, str]
    csrf_token: str  # goes in every form; the adapter checks it on every POST
    principal: Principal | None = None  # the browser session's user, if signed in
    session_token: str | None = None  # the session's own token (sign-out ends it)

    def field(self, name: str) -> str:
        return self.form.get(name, "").strip()


@dataclass
class SessionStart:
    """Sign the browser in: the access token goes in an HttpOnly cookie for `max_age` s."""

    token: str
    max_age: int


@dataclass
class PageReply:
    html: str = ""
    status: int = 200
    redirect: str | None = None  # 303 See Other to this local path
    # 303 to another site: only a URL the platform itself made (a Stripe Checkout session),
    # never one from the request
    redirect_away: str | None = None
    # other origins this page's forms may lead to: a form whose POST answers with
    # redirect_away needs its target's origin here (the CSP's form-action covers redirects)
    form_targets: tuple[str, ...] = ()
    # a reply that is not a page (JSON for a chart, a CSV download): these bytes, this type
    body: bytes | None = None
    content_type: str = "text/html"
    download: str | None = None  # the file name a browser saves `body` as
    start_session: SessionStart | None = None
    end_session: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    # a Content-Security-Policy of its own instead of the pages' (an email's HTML shown as
    # its own document: sandboxed, inline styles, never framed)
    csp: str | None = None


PageHandler = Callable[[PageRequest], PageReply]


@dataclass(frozen=True)
class Page:
    path: str  # `{name}` segments are path parameters, as in `shared.api.Route`
    handler: PageHandler
    methods: tuple[Method, ...] = ("GET",)
    # the rate-limit class of its POSTs (settings.rate_limits), as for the API's routes
    rate_limit: str | None = None

    @property
    def name(self) -> str:
        return self.handler.__name__


def local_path(target: str, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default`: a `next` parameter must not
    send the browser to another site after signing in (open redirect)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")) and "\n" not in target:
        return target
    return default
