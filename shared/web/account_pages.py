"""Account pages: the workspace's front door, signing in and out, and the pages the
welcome and password-reset emails link to. Each calls the accounts service as the API's
`/v1/auth/...` routes do."""

from __future__ import annotations

from typing import Any

from shared.errors import DomainError
from shared.web.render import render_page
from shared.web.spec import Page, PageReply, PageRequest, SessionStart, local_path


def sign_in(req: PageRequest) -> PageReply:
    after = local_path(req.query.get("next") or req.form.get("next", ""))
    values: dict[str, Any] = {"title": "Sign in", "next": after, "email": "", "error": None}
    values.update(_common(req))
    if req.method == "GET":
        return PageReply(render_page("sign_in.html.j2", **values))
    email = req.field("email")
    try:
        tokens = req.features.accounts.service.login(email, req.form.get("password", ""))
    except DomainError as exc:
        values.update(email=email, error=exc.detail)
        return PageReply(render_page("sign_in.html.j2", **values), status=401)
    return PageReply(
        redirect=after, start_session=SessionStart(tokens.access_token, tokens.expires_in)
    )


def sign_out(req: PageRequest) -> PageReply:
    """Ends the sign-in itself, not only the cookie: a copy of the cookie stops working."""
    if req.session_token:
        req.features.accounts.service.end_session(req.session_token)
    return PageReply(redirect="/sign-in", end_session=True)


def verify_email(req: PageRequest) -> PageReply:
    """GET shows a button and never verifies (mail scanners prefetch links); POST does."""
    token = req.query.get("token") or req.form.get("token", "")
    values: dict[str, Any] = {"title": "Confirm your email address", "token": token, "error": None}
    values.update(_common(req))
    if req.method == "POST":
        try:
            _, outcome = req.features.accounts.service.verify_email(token)
        except DomainError as exc:
            values["error"] = exc.detail
            return PageReply(render_page("verify_email.html.j2", **values), status=400)
        values.update(title="Your address is confirmed", welcome_grant=outcome.welcome_grant)
        return PageReply(render_page("verified.html.j2", **values))
    return PageReply(render_page("verify_email.html.j2", **values))


def reset_password(req: PageRequest) -> PageReply:
    """With the link's token: choose a new password. Without: ask for a link."""
    token = req.query.get("token") or req.form.get("token", "")
    values: dict[str, Any] = {
        "title": "Choose a new password",
        "token": token,
        "errors": {},
        "email": "",
    }
    values.update(_common(req))
    if not token:
        values["title"] = "Reset your password"
        if req.method == "POST":
            values["email"] = req.field("email")
            try:
                req.features.accounts.service.ask_password_reset(values["email"])
            except DomainError as exc:
                values["errors"] = {exc.field or "email": exc.detail}
                return PageReply(render_page("reset_request.html.j2", **values), status=400)
            values["sent"] = True
        return PageReply(render_page("reset_request.html.j2", **values))
    if req.method == "GET":
        return PageReply(render_page("reset_password.html.j2", **values))
    password = req.form.get("new_password", "")
    if password != req.form.get("confirm_password", ""):
        values["errors"] = {"confirm_password": "the two passwords differ"}
        return PageReply(render_page("reset_password.html.j2", **values), status=400)
    try:
        req.features.accounts.service.confirm_password_reset(token, password)
    except DomainError as exc:
        values["errors"] = {exc.field or "new_password": exc.detail}
        return PageReply(render_page("reset_password.html.j2", **values), status=400)
    values["title"] = "Your password is changed"
    return PageReply(render_page("password_changed.html.j2", **values))


def sign_in_first(req: PageRequest, path: str, what: str) -> PageReply:
    """A page that needs a signed-in user answers 200 with the sign-in form (its link in
    an email works from any browser), and signing in comes back here."""
    return PageReply(
        render_page(
            "sign_in.html.j2",
            title="Sign in",
            reason=f"Sign in to see {what}.",
            next=path,
            email="",
            error=None,
            **_common(req),
        )
    )


def _common(req: PageRequest) -> dict[str, Any]:
    return {"user": req.principal, "csrf_token": req.csrf_token}


PAGES = [
    Page("/sign-in", sign_in, ("GET", "POST"), rate_limit="login"),
    Page("/sign-out", sign_out, ("POST",)),
    Page("/verify-email", verify_email, ("GET", "POST"), rate_limit="auth"),
    Page("/reset-password", reset_password, ("GET", "POST"), rate_limit="password-reset"),
]
