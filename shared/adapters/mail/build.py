"""The delivery router from settings: `AIA_MAIL_BACKEND` for every category, and
`AIA_MAIL_ROUTES` (category -> backend) for exceptions. Credentials come from the
secrets port when a backend is first built."""

from __future__ import annotations

from pathlib import Path

from shared.email.delivery import Mailer, MailRouter
from shared.email.types import Category
from shared.ports.secrets import SecretNotFound, Secrets
from shared.settings import Settings


def build_mailer(kind: str, settings: Settings, secrets: Secrets) -> Mailer:
    if kind == "outbox":
        from shared.adapters.mail.outbox import OutboxMailer

        return OutboxMailer(settings.mail_outbox_dir or Path(settings.data_dir) / "outbox")
    if kind == "smtp":
        from shared.adapters.mail.smtp import SmtpMailer

        password = None
        if settings.smtp_username:
            password = secrets.get("smtp-password")
        return SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            starttls=settings.smtp_starttls,
            username=settings.smtp_username,
            password=password,
            ca_file=settings.smtp_ca_file,
            timeout=settings.smtp_timeout_seconds,
            local_hostname=f"mail.{settings.primary_domain}",
        )
    if kind == "sendgrid":
        from shared.adapters.mail.sendgrid import SendGridMailer

        return SendGridMailer(
            secrets.get("sendgrid-api-key"),
            base_url=settings.sendgrid_api_base,
            timeout=settings.mail_timeout_seconds,
        )
    if kind == "gmail":
        from shared.adapters.mail.gmail import GmailMailer, ServiceAccount

        return GmailMailer(
            ServiceAccount.from_json(secrets.get("gmail-service-account")),
            api_base=settings.gmail_api_base,
            timeout=settings.mail_timeout_seconds,
        )
    raise ValueError(f"unknown mail backend {kind!r}")


def build_router(settings: Settings, secrets: Secrets) -> MailRouter:
    known = {c.value for c in Category}
    unknown = set(settings.mail_routes) - known
    if unknown:
        raise ValueError(f"AIA_MAIL_ROUTES names unknown categories: {sorted(unknown)}")
    built: dict[str, Mailer] = {}

    def mailer(kind: str) -> Mailer:
        if kind not in built:
            built[kind] = build_mailer(kind, settings, secrets)
        return built[kind]

    try:
        default = mailer(settings.mail_backend)
        routes = {category: mailer(kind) for category, kind in settings.mail_routes.items()}
    except SecretNotFound as exc:
        raise RuntimeError(f"a mail backend lacks its credentials: {exc}") from exc
    return MailRouter(default, routes)
