"""Account pages: the workspace's front door, signing in and out, and the pages the
welcome and password-reset emails link to. Each calls the accounts service as the API's
`/v1/auth/...` routes do."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from shared.accounts.api import RegisterRequest
from shared.accounts.passwords import MAX_LENGTH, MIN_LENGTH
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


M = TypeVar("M", bound=BaseModel)
PASSWORD_RULES = (
    f"{MIN_LENGTH} to {MAX_LENGTH} characters, at least 5 different; not a common password "
    "and not containing the name part of your email address. A phrase of a few words works."
)


def register(req: PageRequest) -> PageReply:
    """The form of POST /v1/auth/register: the same checks (its body model, then the
    accounts service), the same rate-limit class, and the same answers: only that an
    address already has an account, which the API says too."""
    values: dict[str, Any] = {
        "title": "Create your account",
        "name": "",
        "email": "",
        "errors": {},
        "rules": PASSWORD_RULES,
    }
    values.update(_common(req))
    if req.method == "GET":
        if req.query.get("sent"):
            values["title"] = "Check your email"
            return PageReply(render_page("registered.html.j2", **values))
        return PageReply(render_page("register.html.j2", **values))
    values.update(name=req.form.get("name", ""), email=req.field("email"))
    form = {
        "email": values["email"],
        "password": req.form.get("password", ""),
        "name": values["name"],
    }
    body, errors = validate_form(RegisterRequest, form)
    if body is not None:
        try:
            req.features.accounts.service.register(body.email, body.password, body.name)
        except DomainError as exc:
            errors = {exc.field or "email": exc.detail}
    if errors:
        values["errors"] = errors
        return PageReply(render_page("register.html.j2", **values), status=400)
    return PageReply(redirect="/register?sent=1")


def validate_form(model: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    """A form read by the API's own body model: the body, or one message per field (the
    first pydantic gives) to show beside it."""
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors(include_url=False):
            name = str(err["loc"][0]) if err["loc"] else "form"
            errors.setdefault(name, _plain(err["msg"]))
        return None, errors


def _plain(message: str) -> str:
    # pydantic's "Value error, the part before @ ..." reads better without its prefix
    return message.removeprefix("Value error, ")


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
    Page("/register", register, ("GET", "POST"), rate_limit="auth"),
    Page("/verify-email", verify_email, ("GET", "POST"), rate_limit="auth"),
    Page("/reset-password", reset_password, ("GET", "POST"), rate_limit="password-reset"),
]
