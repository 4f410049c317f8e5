"""Binds the web app's pages (`shared.web`) to the API's Flask application: the browser
session (an HttpOnly cookie holding the access token; the API itself reads only bearer
tokens and API keys, so the cookie never authenticates an API call), a double-submit CSRF
check on every POST, the API's guards (rate limits, activity), HTML error pages, a strict
Content-Security-Policy, and the vendored assets under /assets/."""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from collections.abc import Callable, Sequence

from flask import Flask, Response, request, send_from_directory

from shared.adapters.http.app import STATUS_OF_KIND, Guard, client_address
from shared.api.spec import AnyRequest, ApiError, ApiRequest, Principal, Route
from shared.bootstrap.features import Features
from shared.errors import DomainError
from shared.web.render import ASSET_PREFIX, STATIC_DIR, render_page
from shared.web.spec import Page, PageReply, PageRequest, local_path

log = logging.getLogger("aia.web")
SESSION_COOKIE = "aia_session"
CSRF_COOKIE = "aia_csrf"
CSRF_FIELD = "csrf_token"
# No inline script or style anywhere; only this origin's assets; never framed.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
ASSET_MAX_AGE = 3600


def add_pages(
    app: Flask,
    pages: Sequence[Page],
    features: Callable[[], Features],
    *,
    guards: Sequence[Guard] = (),
    trusted_proxy_hops: int = 0,
    secure_cookies: bool = True,
) -> None:
    for page in pages:
        app.add_url_rule(
            page.path.replace("{", "<").replace("}", ">"),
            endpoint=f"page {page.path}",
            view_func=_view(page, features, guards, trusted_proxy_hops, secure_cookies),
            methods=list(page.methods),
        )
    app.add_url_rule(ASSET_PREFIX + "<path:name>", endpoint="assets", view_func=_asset)


def _asset(name: str) -> Response:
    response = send_from_directory(STATIC_DIR, name, max_age=ASSET_MAX_AGE)
    response.headers["Cache-Control"] = f"public, max-age={ASSET_MAX_AGE}"
    return response


def _view(
    page: Page,
    features: Callable[[], Features],
    guards: Sequence[Guard],
    proxy_hops: int,
    secure: bool,
) -> Callable[..., Response]:
    # what the API's guards see of a page: its path, and the rate-limit class of its POSTs
    def as_api(_: ApiRequest) -> None:  # never called: guards read only the route's data
        raise NotImplementedError

    as_api.__name__ = page.name
    route = Route("POST", page.path, as_api, page.name, "web", rate_limit=page.rate_limit)

    def view(**path_params: str) -> Response:
        feats = features()
        session = request.cookies.get(SESSION_COOKIE)
        principal = None
        if session:
            try:
                principal = feats.accounts.service.principal_from_token(session)
            except DomainError:
                session = None  # expired or ended: the page treats the browser as signed out
        given_csrf = request.cookies.get(CSRF_COOKIE, "")
        csrf = given_csrf or secrets.token_urlsafe(32)
        form = request.form.to_dict() if request.method == "POST" else {}
        page_request = PageRequest(
            features=feats,
            method="POST" if request.method == "POST" else "GET",
            path_params=path_params,
            query=request.args.to_dict(),
            form=form,
            csrf_token=csrf,
            principal=principal,
            session_token=session,
        )
        try:
            if request.method == "POST":
                _check_csrf(given_csrf, form.get(CSRF_FIELD, ""))
                _guard(route, guards, feats, principal, form, path_params, proxy_hops)
            if any("\x00" in v for v in [*form.values(), *page_request.query.values()]):
                raise ApiError(400, "a field contains a NUL character")
            reply = page.handler(page_request)
        except ApiError as exc:
            reply = _error_page(page_request, exc.status, exc.detail, exc.headers)
        except DomainError as exc:
            reply = _error_page(page_request, STATUS_OF_KIND[exc.kind], exc.detail, {})
        response = _response(reply)
        _cookies(response, reply, csrf, fresh_csrf=not given_csrf, secure=secure)
        if request.cookies.get(SESSION_COOKIE) and session is None and not reply.start_session:
            response.delete_cookie(SESSION_COOKIE, path="/")
        response.headers["Content-Security-Policy"] = reply.csp or _csp(reply.form_targets)
        return response

    view.__name__ = f"page_{page.name}"
    return view


def _csp(form_targets: tuple[str, ...]) -> str:
    if not form_targets:
        return CONTENT_SECURITY_POLICY
    allowed = " ".join(t for t in form_targets if t.isprintable() and ";" not in t and " " not in t)
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", f"form-action 'self' {allowed}")


def _check_csrf(cookie: str, field: str) -> None:
    """Double submit: a form from another site can send the cookie (SameSite aside) but
    cannot read it to copy it into the form."""
    if not cookie or not field or not hmac.compare_digest(cookie, field):
        raise ApiError(403, "this form has expired: reload the page and send it again")


def _guard(
    route: Route,
    guards: Sequence[Guard],
    features: Features,
    principal: Principal | None,
    form: dict[str, str],
    path_params: dict[str, str],
    proxy_hops: int,
) -> None:
    api_request: AnyRequest = ApiRequest(
        features=features,
        path_params=path_params,
        body=None,  # the guards read only the raw body
        query=None,
        headers={},  # the cookie is the page's credential, never the API's
        client_ip=client_address(
            request.headers.get("X-Forwarded-For", ""), request.remote_addr, proxy_hops
        ),
        url=request.url,
        # the guards read an account from a JSON body (login and reset limits per account)
        raw_body=json.dumps({"email": form["email"]}).encode() if "email" in form else b"",
        principal=principal,  # limits count per signed-in user; page use counts as activity
    )
    for guard in guards:
        guard(route, api_request)


def _error_page(req: PageRequest, status: int, detail: str, headers: dict[str, str]) -> PageReply:
    titles = {403: "Not allowed", 404: "Not found", 429: "Too many requests"}
    html = render_page(
        "message.html.j2",
        title=titles.get(status, "Something is wrong"),
        message=detail,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html, status=status, headers=headers)


def _response(reply: PageReply) -> Response:
    if reply.redirect is not None:
        response = Response(status=303, headers={"Location": local_path(reply.redirect)})
    elif reply.redirect_away is not None:
        response = Response(status=303, headers={"Location": reply.redirect_away})
    elif reply.body is not None:
        response = Response(reply.body, status=reply.status, content_type=reply.content_type)
        if reply.download:
            name = "".join(c for c in reply.download if c.isalnum() or c in "._-")
            response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        response = Response(reply.html, status=reply.status, mimetype="text/html")
    response.headers.update(reply.headers)
    return response


def _cookies(
    response: Response, reply: PageReply, csrf: str, *, fresh_csrf: bool, secure: bool
) -> None:
    if reply.start_session is not None:
        response.set_cookie(
            SESSION_COOKIE,
            reply.start_session.token,
            max_age=reply.start_session.max_age,
            path="/",
            secure=secure,
            httponly=True,
            samesite="Lax",
        )
        fresh_csrf, csrf = True, secrets.token_urlsafe(32)  # a new session, a new token
    if reply.end_session:
        response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, httponly=True)
    if fresh_csrf:
        response.set_cookie(
            CSRF_COOKIE, csrf, path="/", secure=secure, httponly=True, samesite="Strict"
        )
