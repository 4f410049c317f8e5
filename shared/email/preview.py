"""What an operator sees of the email types and sends by hand, for the admin API
(`/v1/emails/templates...`, `POST /v1/emails/send`) and the console alike: an email type
rendered with its sample data, and the send request an admin's one-off email makes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.email.feature import EmailFeature
from shared.email.render import Links, Recipient, Rendered, render
from shared.email.sending import SendRequest
from shared.email.types import SAMPLE_APP_URL, EmailSpec, EmailType, spec_for
from shared.errors import NotFound

SAMPLE_RECIPIENT = Recipient("ada@example.com", "Ada Lovelace")


@dataclass(frozen=True)
class Previewed:
    spec: EmailSpec
    rendered: Rendered
    sender: str
    reply_to: str
    headers: dict[str, str]  # List-Unsubscribe, for mail that is not transactional


def preview_email(feature: EmailFeature, name: str) -> Previewed:
    """The email type `name` rendered with its sample context, its links pointing at this
    deployment's app as a real email's do; NotFound for an unknown name."""
    if name not in {t.value for t in EmailType}:
        raise NotFound("email template", name[:64], detail=f"no email template named {name[:64]}")
    spec = spec_for(name)
    settings = feature.settings
    unsubscribe = (
        None
        if spec.transactional
        else feature.unsubscribe_url(SAMPLE_RECIPIENT.email, spec.category.value, None)
    )
    sample = spec.sample.model_validate_json(
        spec.sample.model_dump_json().replace(SAMPLE_APP_URL, settings.app_base_url.rstrip("/"))
    )
    rendered = render(
        spec,
        sample,
        recipient=SAMPLE_RECIPIENT,
        links=Links(settings.app_base_url, feature.preferences_url, unsubscribe),
        sender_name=spec.display_name,
        domain=settings.primary_domain,
    )
    headers = {}
    if unsubscribe:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return Previewed(
        spec=spec,
        rendered=rendered,
        sender=spec.sender(settings.primary_domain),
        reply_to=feature.reply_to(spec),
        headers=headers,
    )


def admin_send_request(
    admin_id: str,
    key: str,
    email_type: EmailType,
    to: str,
    name: str | None,
    context: dict[str, Any],
) -> SendRequest:
    """The send an admin's one-off email makes: journey `admin-<admin_id>`, step `key` (an
    Idempotency-Key, or the console form's hidden key), so a repeat sends once."""
    return SendRequest(
        type=email_type,
        journey=f"admin-{admin_id}",
        step=key[:100],
        to=to,
        name=name,
        context=context,
    )
