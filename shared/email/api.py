"""Public HTTP routes of the email feature (under /v1/emails), and the guard that notes
when a user was last active (the onboarding nudge skips active users).

Operators (admin role) list and preview templates and send one email; users read and
change their own category preferences; anyone holding a link unsubscribes with it
(RFC 8058: POST, no auth, no cookies, 200 and never a redirect; GET only shows a page);
SendGrid posts delivery events, verified by their ECDSA signature."""

from __future__ import annotations

import html
import uuid
from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, RootModel

from shared.api.spec import AnyRequest, ApiError, ApiRequest, FieldError, Reply, Route, route
from shared.email.render import Links, Recipient, render
from shared.email.sending import SendRequest
from shared.email.steps import EmailSendOutcome, run_send
from shared.email.types import LOCKED_CATEGORIES, SPECS, Category, EmailType, spec_for
from shared.email.unsubscribe import InvalidToken
from shared.email.webhooks import (
    PUBLIC_KEY_SECRET,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BadSignature,
    apply_events,
    load_public_key,
    verify,
)
from shared.errors import Invalid, NotFound
from shared.ports.secrets import SecretNotFound

ACTIVITY_WRITE_INTERVAL = timedelta(minutes=5)
SAMPLE_RECIPIENT = Recipient("ada@example.com", "Ada Lovelace")


class EmailTemplateInfo(BaseModel):
    name: EmailType
    sender: str
    reply_to: str
    category: Category
    transactional: bool
    queue: str
    description: str
    context_schema: dict[str, Any]


class EmailTemplateList(BaseModel):
    templates: list[EmailTemplateInfo]


class PreviewQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["json", "html", "text"] = "json"


class EmailPreview(BaseModel):
    name: EmailType
    subject: str
    sender: str
    reply_to: str
    headers: dict[str, str]
    html: str
    text: str


class AdminSendRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: EmailType
    to: EmailStr
    name: str | None = Field(default=None, max_length=200)
    context: dict[str, Any] = Field(default_factory=dict)


class TokenQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=10, max_length=2000)


class Unsubscribed(BaseModel):
    unsubscribed: bool
    category: str


class CategoryChoices(BaseModel):
    """Each category on (true) or off (false); `security` cannot be turned off."""

    model_config = ConfigDict(extra="forbid")

    onboarding: bool | None = None
    security: bool | None = None
    notifications: bool | None = None
    reports: bool | None = None
    economics: bool | None = None
    governance: bool | None = None
    alerts: bool | None = None


class EmailPreferencesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    categories: CategoryChoices


class EmailPreferences(BaseModel):
    categories: dict[str, bool]
    locked: list[str]


class SendGridEvents(RootModel[list[dict[str, Any]]]):
    pass


class WebhookResult(BaseModel):
    applied: dict[str, int]


# -- operators ---------------------------------------------------------------------------
def list_templates(req: ApiRequest) -> EmailTemplateList:
    feature = req.features.email
    domain = feature.settings.primary_domain
    return EmailTemplateList(
        templates=[
            EmailTemplateInfo(
                name=spec.type,
                sender=spec.sender(domain),
                reply_to=feature.reply_to(spec),
                category=spec.category,
                transactional=spec.transactional,
                queue=spec.stream.value,
                description=spec.description,
                context_schema=spec.context.model_json_schema(),
            )
            for spec in SPECS.values()
        ]
    )


def preview_template(req: ApiRequest[None, PreviewQuery]) -> Any:
    name = req.path_params["name"]
    if name not in {t.value for t in EmailType}:
        raise NotFound("email template", name, detail=f"no email template named {name}")
    spec = spec_for(name)
    feature = req.features.email
    settings = feature.settings
    unsubscribe = (
        None
        if spec.transactional
        else feature.unsubscribe_url(SAMPLE_RECIPIENT.email, spec.category.value, None)
    )
    rendered = render(
        spec,
        spec.sample,
        recipient=SAMPLE_RECIPIENT,
        links=Links(settings.app_base_url, feature.preferences_url, unsubscribe),
        sender_name=spec.display_name,
        domain=settings.primary_domain,
    )
    query = req.query
    if query.format == "html":
        return Reply(rendered.html, media_type="text/html; charset=utf-8")
    if query.format == "text":
        return Reply(rendered.text, media_type="text/plain; charset=utf-8")
    headers = {}
    if unsubscribe:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return EmailPreview(
        name=spec.type,
        subject=rendered.subject,
        sender=spec.sender(settings.primary_domain),
        reply_to=feature.reply_to(spec),
        headers=headers,
        html=rendered.html,
        text=rendered.text,
    )


def admin_send(req: ApiRequest[AdminSendRequest]) -> dict[str, Any]:
    body = req.body
    principal = req.require_principal()
    step = req.headers.get("idempotency-key") or uuid.uuid4().hex
    request = SendRequest(
        type=body.type,
        journey=f"admin-{principal.user_id}",
        step=step[:100],
        to=body.to,
        name=body.name,
        context=body.context,
    )
    return run_send(req, request)


# -- one-click unsubscribe ---------------------------------------------------------------
def _claim(req: ApiRequest[None, TokenQuery]) -> Any:
    query = req.query
    try:
        claim = req.features.email.signer.verify(query.token)
    except InvalidToken as exc:
        raise ApiError(
            400, str(exc), errors=[FieldError("token", str(exc), "query", "invalid_token")]
        ) from None
    if claim.category not in {c.value for c in Category} or claim.category in LOCKED_CATEGORIES:
        raise Invalid("this link does not unsubscribe from anything")
    return claim


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head>"
        '<body style="font-family:Helvetica,Arial,sans-serif;max-width:560px;margin:40px auto;'
        f'padding:0 16px;color:#1f2933"><h1>{html.escape(title)}</h1>{body}</body></html>'
    )


def unsubscribe_page(req: ApiRequest[None, TokenQuery]) -> Reply:
    """GET never unsubscribes (link scanners prefetch); it offers the button."""
    claim = _claim(req)
    token = html.escape(req.query.token, quote=True)
    body = (
        f"<p>Stop {html.escape(claim.category)} emails to {html.escape(claim.address)}?</p>"
        f'<form method="post" action="?token={token}">'
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
        '<button type="submit" style="padding:10px 20px">Unsubscribe</button></form>'
    )
    return Reply(_page("Unsubscribe", body), media_type="text/html; charset=utf-8")


def unsubscribe(req: ApiRequest[None, TokenQuery]) -> Reply:
    claim = _claim(req)
    feature = req.features.email
    now = feature.clock.now()
    feature.suppressions.unsubscribe(claim.address, claim.category, now)
    if claim.user_id:
        feature.preferences.update(claim.user_id, {claim.category: False}, now)
    if "application/json" in req.headers.get("accept", ""):
        return Reply(
            Unsubscribed(unsubscribed=True, category=claim.category),
            media_type="application/json; charset=utf-8",
        )
    body = (
        f"<p>{html.escape(claim.address)} will receive no more {html.escape(claim.category)} "
        "emails. Security messages about your account still arrive.</p>"
    )
    return Reply(_page("You are unsubscribed", body), media_type="text/html; charset=utf-8")


# -- preferences -------------------------------------------------------------------------
def _locked() -> list[str]:
    return sorted(c.value for c in LOCKED_CATEGORIES)


def get_preferences(req: ApiRequest) -> EmailPreferences:
    principal = req.require_principal()
    categories = req.features.email.preferences.of(principal.user_id)
    return EmailPreferences(categories=categories, locked=_locked())


def put_preferences(req: ApiRequest[EmailPreferencesUpdate]) -> EmailPreferences:
    principal = req.require_principal()
    body = req.body
    changes = body.categories.model_dump(exclude_none=True)
    if changes.get("security") is False:
        raise Invalid("security emails cannot be turned off", field="categories.security")
    feature = req.features.email
    now = feature.clock.now()
    categories = feature.preferences.update(principal.user_id, changes, now)
    account = feature.directory.account(principal.user_id)
    if account is not None:
        for category, on in changes.items():
            if on:  # a one-click unsubscribe of this address is lifted too
                feature.suppressions.resubscribe(account.email, category, now)
    return EmailPreferences(categories=categories, locked=_locked())


# -- SendGrid event webhook --------------------------------------------------------------
def sendgrid_events(req: ApiRequest[SendGridEvents]) -> WebhookResult:
    feature = req.features.email
    try:
        key = load_public_key(feature.secrets.get(PUBLIC_KEY_SECRET))
    except SecretNotFound:
        raise NotFound(
            "webhook", "sendgrid", detail="the SendGrid event webhook is not configured"
        ) from None
    try:
        verify(
            key,
            req.headers.get(SIGNATURE_HEADER, ""),
            req.headers.get(TIMESTAMP_HEADER, ""),
            req.raw_body,
            now=feature.clock.now(),
            max_age_seconds=feature.settings.webhook_max_age_seconds,
        )
    except BadSignature as exc:
        raise ApiError(401, f"webhook signature rejected: {exc}") from None
    events = req.body
    return WebhookResult(
        applied=apply_events(feature.suppressions, events.root, feature.clock.now())
    )


# -- activity ----------------------------------------------------------------------------
def record_activity(route: Route, req: AnyRequest) -> None:
    """Note the caller as active, at most once per interval per instance."""
    if req.principal is None:
        return
    feature = req.features.email
    now = feature.clock.now()
    last = feature.activity_written.get(req.principal.user_id)
    if last is not None and now - last < ACTIVITY_WRITE_INTERVAL:
        return
    feature.activity.record(req.principal.user_id, now)
    feature.activity_written[req.principal.user_id] = now


GUARDS = [record_activity]

ROUTES = [
    route(
        "GET",
        "/v1/emails/templates",
        list_templates,
        "The email types: sender, category, queue and context schema",
        "emails",
        response=EmailTemplateList,
        auth="admin",
    ),
    route(
        "GET",
        "/v1/emails/templates/{name}/preview",
        preview_template,
        "An email type rendered with sample data (json, html or text)",
        "emails",
        query=PreviewQuery,
        response=EmailPreview,
        other_media_types=("text/html", "text/plain"),  # ?format=html / ?format=text
        auth="admin",
        errors=(404,),
    ),
    route(
        "POST",
        "/v1/emails/send",
        admin_send,
        "Send one email now (admins; journeys use the internal send function)",
        "emails",
        body=AdminSendRequest,
        response=EmailSendOutcome,
        auth="admin",
        errors=(503,),
        description="An `Idempotency-Key` header makes a repeated request send once.",
    ),
    route(
        "GET",
        "/v1/emails/unsubscribe",
        unsubscribe_page,
        "The unsubscribe page of a signed link (never unsubscribes by itself)",
        "emails",
        query=TokenQuery,
        media_type="text/html",
    ),
    route(
        "POST",
        "/v1/emails/unsubscribe",
        unsubscribe,
        "RFC 8058 one-click unsubscribe with a signed link",
        "emails",
        query=TokenQuery,
        media_type="text/html",
        description="No authentication: the signed token is the credential. Answers 200 "
        "(HTML, or JSON with `Accept: application/json`), never a redirect; repeating it "
        "is harmless.",
    ),
    route(
        "GET",
        "/v1/emails/preferences",
        get_preferences,
        "The caller's email categories",
        "emails",
        response=EmailPreferences,
        auth="user",
    ),
    route(
        "PUT",
        "/v1/emails/preferences",
        put_preferences,
        "Turn the caller's email categories on or off",
        "emails",
        body=EmailPreferencesUpdate,
        response=EmailPreferences,
        auth="user",
    ),
    route(
        "POST",
        "/v1/emails/webhooks/sendgrid",
        sendgrid_events,
        "SendGrid Event Webhook (ECDSA-signed): bounces, spam reports, unsubscribes",
        "emails",
        body=SendGridEvents,
        response=WebhookResult,
        errors=(401, 404),
    ),
]
