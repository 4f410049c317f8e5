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
from shared.email.choices import change_preferences
from shared.email.preview import admin_send_request, preview_email
from shared.email.steps import EmailSendOutcome, run_send
from shared.email.types import (
    LOCKED_CATEGORIES,
    SPECS,
    Category,
    EmailType,
)
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
# Signing in, reading one's account or email settings is not using the platform; every
# other authenticated call (simulations, reports, transfers, votes, pages) is.
NOT_ACTIVITY = frozenset({"accounts", "emails", "system"})


class EmailTemplateInfo(BaseModel):
    name: EmailType = Field(description="The email type, as `type` when sending one")
    sender: str = Field(description="The From address on this deployment's domain")
    reply_to: str = Field(description="Where replies go")
    category: Category = Field(
        description="The preference category a recipient turns it off by (`security` "
        "cannot be turned off)"
    )
    transactional: bool = Field(
        description="True for security mail: no unsubscribe link, sent whatever the "
        "recipient's preferences"
    )
    queue: str = Field(
        description="The Cloud Tasks queue that carries it: email-transactional or email-bulk"
    )
    description: str = Field(description="When the platform sends it")
    context_schema: dict[str, Any] = Field(
        description="JSON Schema of the `context` a send of this type takes"
    )


class EmailTemplateList(BaseModel):
    templates: list[EmailTemplateInfo] = Field(description="Every email type the platform sends")


class PreviewQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["json", "html", "text"] = Field(
        default="json", description="json: subject and both bodies; html or text: that body alone"
    )


class EmailPreview(BaseModel):
    name: EmailType = Field(description="The email type previewed")
    subject: str = Field(description="The subject line, rendered with the sample context")
    sender: str = Field(description="The From address")
    reply_to: str = Field(description="Where replies go")
    headers: dict[str, str] = Field(
        description="The List-Unsubscribe headers it carries; empty for transactional mail"
    )
    html: str = Field(description="The HTML body, rendered with the sample context")
    text: str = Field(description="The plain-text body, rendered with the sample context")


class AdminSendRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "type": "system_notification",
                    "to": "ada@example.com",
                    "name": "Ada",
                    "context": {
                        "title": "Maintenance tonight",
                        "message": "The API is read-only from 22:00 to 22:15 UTC.",
                    },
                }
            ]
        },
    )

    type: EmailType = Field(description="The email type (GET /v1/emails/templates lists them)")
    to: EmailStr = Field(description="The recipient's address")
    name: str | None = Field(
        default=None, max_length=200, description="The recipient's name for the greeting"
    )
    context: dict[str, Any] = Field(
        default_factory=dict,
        description="The values the template needs: its `context_schema` in the template list",
    )


class TokenQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(
        min_length=10, max_length=2000, description="The token of the unsubscribe link"
    )


class Unsubscribed(BaseModel):
    unsubscribed: bool
    category: str


class CategoryChoices(BaseModel):
    """Each category on (true) or off (false); `security` cannot be turned off."""

    model_config = ConfigDict(extra="forbid")

    onboarding: bool | None = Field(
        default=None,
        description="Welcome, day-one tips and activation nudges; null or absent: left as it is",
    )
    security: bool | None = Field(
        default=None,
        description="Password resets and account security alerts: false is refused (400)",
    )
    notifications: bool | None = Field(
        default=None,
        description="Something you asked for finished or needs attention; null: left as it is",
    )
    reports: bool | None = Field(
        default=None,
        description="Weekly agent performance reports and finished venture analyses; null: "
        "left as it is",
    )
    economics: bool | None = Field(
        default=None,
        description="The monthly economic report of the flagship economy; null: left as it is",
    )
    governance: bool | None = Field(
        default=None,
        description="Proposals opened for votes, reminders before they close, results; null: "
        "left as it is",
    )
    alerts: bool | None = Field(
        default=None, description="Operational alerts for operators; null: left as it is"
    )


class EmailPreferencesUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"categories": {"economics": False, "governance": True}}]},
    )

    categories: CategoryChoices = Field(description="Only the categories to change")


class EmailPreferences(BaseModel):
    categories: dict[str, bool] = Field(
        description="Every category: true to receive its mail, false not to"
    )
    locked: list[str] = Field(description="Categories that cannot be turned off")


class SendGridEvents(RootModel[list[dict[str, Any]]]):
    """SendGrid's Event Webhook batch, signed (ECDSA) in its headers."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                [
                    {
                        "email": "ada@example.com",
                        "event": "delivered",
                        "timestamp": 1767225600,
                        "sg_event_id": "ZGVsaXZlcmVkLTAtMTIzNDU",
                        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001",
                    }
                ]
            ]
        }
    )


class WebhookResult(BaseModel):
    applied: dict[str, int] = Field(
        description="How many events were handled each way: ignored, soft_bounce, "
        "hard_bounce, complaint, unsubscribed, ..."
    )


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
    shown = preview_email(req.features.email, req.path_params["name"])
    rendered = shown.rendered
    query = req.query
    if query.format == "html":
        return Reply(rendered.html, media_type="text/html; charset=utf-8")
    if query.format == "text":
        return Reply(rendered.text, media_type="text/plain; charset=utf-8")
    return EmailPreview(
        name=shown.spec.type,
        subject=rendered.subject,
        sender=shown.sender,
        reply_to=shown.reply_to,
        headers=shown.headers,
        html=rendered.html,
        text=rendered.text,
    )


def admin_send(req: ApiRequest[AdminSendRequest]) -> dict[str, Any]:
    body = req.body
    principal = req.require_principal()
    step = req.headers.get("idempotency-key") or uuid.uuid4().hex
    request = admin_send_request(
        principal.user_id, step, body.type, body.to, body.name, body.context
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
    categories = change_preferences(req.features.email, principal.user_id, changes)
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
    if req.principal is None or route.tag in NOT_ACTIVITY:
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
