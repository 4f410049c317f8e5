"""Assembles the email feature: the delivery router (mail adapters chosen by settings,
built on first send), the unsubscribe signer (its key from the secrets port, generated
once on embedded runs), suppressions, preferences, activity and the send log over the
document store, and the accounts it mails through the directory and audience ports."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING

from shared.email.audience import Activity, Preferences, SuppressionList
from shared.email.delivery import MailRouter
from shared.email.feature import EmailFeature, MailSettings
from shared.email.send_log import SendLedger
from shared.email.unsubscribe import UnsubscribeSigner
from shared.platform import Platform
from shared.ports.directory import Account

if TYPE_CHECKING:
    from shared.bootstrap.features import Features

UNSUBSCRIBE_KEY_SECRET = "email-unsubscribe-key"  # noqa: S105 - a secret's name


def build_email(features: Features) -> EmailFeature:
    platform = features.platform
    settings = platform.settings
    store = platform.documents

    def build_router() -> MailRouter:
        from shared.adapters.mail.build import build_router

        return build_router(settings, platform.secrets)

    return EmailFeature(
        settings=MailSettings(
            primary_domain=settings.primary_domain,
            app_base_url=settings.app_base_url,
            api_base=(settings.public_base_url or f"https://api.{settings.primary_domain}").rstrip(
                "/"
            ),
            webhook_max_age_seconds=settings.sendgrid_webhook_max_age_seconds,
            reply_to=dict(settings.mail_reply_to),
        ),
        clock=platform.clock,
        tasks=platform.tasks,
        workflows=platform.workflows,
        secrets=platform.secrets,
        directory=_AccountsOnDemand(features),
        audience=_AccountsOnDemand(features),
        suppressions=SuppressionList(store),
        preferences=Preferences(store),
        activity=Activity(store),
        ledger=SendLedger(store),
        build_router=build_router,
        build_signer=lambda: UnsubscribeSigner.from_secret(_unsubscribe_key(platform)),
    )


class _AccountsOnDemand:
    """The directory and audience ports, answered by the accounts feature built on the
    first lookup rather than with the email feature: the journey starters and the queueing
    of a send never look an account up, and their functions have no database."""

    def __init__(self, features: Features) -> None:
        self._features = features

    def account(self, user_id: str) -> Account | None:
        return self._features.directory.account(user_id)

    def accounts_page(self, limit: int, offset: int) -> Sequence[Account]:
        return self._features.audience.accounts_page(limit, offset)


def _unsubscribe_key(platform: Platform) -> str:
    from shared.adapters.local.secrets import secret_or_generated

    return secret_or_generated(
        platform.secrets,
        UNSUBSCRIBE_KEY_SECRET,
        local=platform.settings.backend_for("secrets") == "local",
        path=platform.settings.data_dir / "email-unsubscribe-key",
        generate=lambda: secrets.token_urlsafe(32),
    )
