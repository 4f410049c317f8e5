"""The account's settings: its profile (name, handle, email status, signing out
everywhere) and its API keys (created with scopes, the secret shown once, revoked after a
confirmation). Each form reads its input with the API's own body model and calls the
accounts service as `PATCH /v1/me`, `PUT /v1/me/handle`, `POST /v1/auth/verify-email/resend`,
`POST /v1/auth/logout-everywhere` and `/v1/api-keys` do. The email preferences page
(preference_pages.py) is the third settings page; `_settings_nav.html.j2` links them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.accounts.api import ApiKeyRequest, HandleRequest, ProfileUpdate
from shared.accounts.records import ApiKey
from shared.accounts.service import granted_scopes
from shared.api.spec import Principal
from shared.errors import DomainError, NotFound
from shared.web.account_pages import sign_in_first, validate_form
from shared.web.render import render_page
from shared.web.spec import Page, PageReply, PageRequest

PROFILE = "/settings/profile"
API_KEYS = "/settings/api-keys"
SCOPES = {
    "read": "Read: look things up (GET requests)",
    "write": "Write: make changes (POST, PUT, PATCH, DELETE); includes read",
    "admin": "Admin: the operator routes, while you are an admin; includes write",
}
# a reply holding a secret is kept by no cache and no history snapshot
NO_STORE = {"Cache-Control": "no-store"}


def profile(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, PROFILE, "your profile")
    service = req.features.accounts.service
    user_id = req.principal.user_id
    errors: dict[str, str] = {}
    notice = {"sent": "A new confirmation link is on its way to your address."}.get(
        req.query.get("done", "")
    )
    if req.method == "POST":
        change = req.form.get("change", "")
        try:
            if change == "name":
                body, errors = validate_form(ProfileUpdate, {"name": req.form.get("name", "")})
                if body is not None:
                    service.set_name(user_id, body.name.strip())
                    notice = "Your name is saved."
            elif change == "handle":
                handle = req.field("handle") or None  # empty: no handle
                chosen, errors = validate_form(HandleRequest, {"handle": handle})
                if chosen is not None:
                    service.set_handle(user_id, chosen.handle)
                    notice = "Your handle is saved." if chosen.handle else "Your handle is removed."
            else:
                errors = {"form": "choose what to change"}
        except DomainError as exc:
            errors = {exc.field or "form": exc.detail}
    return _profile_page(req, req.principal, errors, notice)


def _profile_page(
    req: PageRequest, principal: Principal, errors: dict[str, str], notice: str | None
) -> PageReply:
    user = req.features.accounts.service.store.user_by_id(principal.user_id)
    if user is None:
        raise NotFound("user", principal.user_id)
    html = render_page(
        "settings_profile.html.j2",
        title="Your profile",
        account=user,
        name=req.form.get("name", user.name) if "name" in errors else user.name,
        handle=req.form.get("handle", "") if "handle" in errors else (user.handle or ""),
        errors=errors,
        done=None if errors else notice,
        section="profile",
        user=principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html, status=400 if errors else 200)


def resend_verification(req: PageRequest) -> PageReply:
    """POST only, in the rate-limit class of its API route (each one sends a mail)."""
    if req.principal is None:
        return sign_in_first(req, PROFILE, "your profile")
    try:
        req.features.accounts.service.resend_verification(req.principal.user_id)
    except DomainError as exc:
        return _profile_page(req, req.principal, {"verify": exc.detail}, None)
    return PageReply(redirect=PROFILE + "?done=sent")


def sign_out_everywhere(req: PageRequest) -> PageReply:
    """Ends every session and refresh token of the account, this browser's too."""
    if req.principal is None:
        return sign_in_first(req, PROFILE, "your profile")
    req.features.accounts.service.end_sessions(req.principal.user_id, actor="user")
    html = render_page(
        "message.html.j2",
        title="You are signed out everywhere",
        message="Every browser and app signed in to your account is signed out now. "
        "API keys go on working until you revoke them.",
        csrf_token=req.csrf_token,
    )
    return PageReply(html, end_session=True)


def api_keys(req: PageRequest) -> PageReply:
    if req.principal is None:
        return sign_in_first(req, API_KEYS, "your API keys")
    principal = req.principal
    values: dict[str, Any] = {"errors": {}, "created": None, "secret": None, "key_name": ""}
    status, headers = 200, {}
    if req.method == "POST":
        values["key_name"] = req.form.get("name", "")
        scopes = [s for s in SCOPES if req.form.get(f"scope-{s}")]
        body, values["errors"] = validate_form(
            ApiKeyRequest, {"name": values["key_name"], "scopes": scopes}
        )
        if "scopes" in values["errors"]:
            values["errors"]["scopes"] = "choose at least one scope"
        if body is not None:
            try:
                issued = req.features.accounts.service.create_api_key(
                    principal, body.name, tuple(sorted(set(body.scopes)))
                )
            except DomainError as exc:
                values["errors"] = {exc.field or "name": exc.detail}
            else:
                values.update(created=issued.key, secret=issued.secret, key_name="")
                headers = NO_STORE
        status = 400 if values["errors"] else 200
    values["done"] = "The key is revoked." if req.query.get("done") == "revoked" else None
    html = render_page(
        "settings_api_keys.html.j2",
        title="Your API keys",
        keys=[_key_row(k) for k in req.features.accounts.service.store.api_keys(principal.user_id)],
        scopes=[
            (name, label) for name, label in SCOPES.items() if name in granted_scopes(principal)
        ],
        # what was ticked stays ticked when the form comes back with an error
        chosen={s for s in SCOPES if req.form.get(f"scope-{s}") and values["errors"]} or {"read"},
        section="api-keys",
        user=principal,
        csrf_token=req.csrf_token,
        **values,
    )
    return PageReply(html, status=status, headers=headers)


def revoke_api_key(req: PageRequest) -> PageReply:
    """GET asks to confirm; POST revokes, at once, for every request that uses it."""
    key_id = req.path_params["key_id"]
    if req.principal is None:
        return sign_in_first(req, API_KEYS, "your API keys")
    service = req.features.accounts.service
    user_id = req.principal.user_id
    key = next((k for k in service.store.api_keys(user_id) if k.id == key_id), None)
    if key is None:
        raise NotFound("API key", key_id)
    if req.method == "POST" or key.revoked_at is not None:
        if key.revoked_at is None:
            service.revoke_api_key(user_id, key_id)
        return PageReply(redirect=API_KEYS + "?done=revoked")
    html = render_page(
        "settings_revoke_key.html.j2",
        title=f"Revoke the key {key.name}?",
        key=_key_row(key),
        section="api-keys",
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html)


def _key_row(key: ApiKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "name": key.name,
        "prefix": key.prefix,
        "scopes": ", ".join(key.scopes),
        "created": _when(key.created_at),
        "revoked": _when(key.revoked_at) if key.revoked_at else None,
    }


def _when(at: datetime) -> str:
    return at.strftime("%d %b %Y %H:%M UTC")


PAGES = [
    Page(PROFILE, profile, ("GET", "POST")),
    Page("/settings/verify-email/resend", resend_verification, ("POST",), "password-reset"),
    Page("/settings/sign-out-everywhere", sign_out_everywhere, ("POST",)),
    Page(API_KEYS, api_keys, ("GET", "POST")),
    Page(API_KEYS + "/{key_id}/revoke", revoke_api_key, ("GET", "POST")),
]
