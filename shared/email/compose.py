"""Builds the email feature from a platform's ports, once per platform: the delivery
router (adapters chosen by settings), the unsubscribe signer (key from the secrets
port), suppressions, preferences, activity and the send ledger."""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from shared.email.audience import Activity, Preferences, SuppressionList
from shared.email.delivery import MailRouter
from shared.email.send_log import SendLedger
from shared.email.unsubscribe import UnsubscribeSigner
from shared.platform import Platform

log = logging.getLogger("aia.email")
UNSUBSCRIBE_KEY_SECRET = "email-unsubscribe-key"  # noqa: S105 - a secret's name
_lock = threading.Lock()


@dataclass
class EmailFeature:
    platform: Platform
    signer: UnsubscribeSigner
    suppressions: SuppressionList
    preferences: Preferences
    activity: Activity
    ledger: SendLedger
    # when this instance last recorded each user's activity (writes are throttled)
    activity_written: dict[str, datetime] = field(default_factory=dict, repr=False)
    _router: MailRouter | None = field(default=None, repr=False)
    _router_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def router(self) -> MailRouter:
        """Built on first send (adapters read their credentials from secrets then)."""
        if self._router is None:
            with self._router_lock:
                if self._router is None:
                    from shared.adapters.mail.build import build_router

                    self._router = build_router(self.platform.settings, self.platform.secrets)
        return self._router

    def use_router(self, router: MailRouter) -> None:
        self._router = router

    @property
    def api_base(self) -> str:
        s = self.platform.settings
        return (s.public_base_url or f"https://api.{s.primary_domain}").rstrip("/")

    def unsubscribe_url(self, address: str, category: str, user_id: str | None) -> str:
        token = self.signer.token(address, category, user_id)
        return f"{self.api_base}/v1/emails/unsubscribe?token={token}"

    @property
    def preferences_url(self) -> str:
        return f"{self.platform.settings.app_base_url.rstrip('/')}/settings/email"


def email_feature(platform: Platform) -> EmailFeature:
    feature = platform.features.get("email")
    if feature is None:
        with _lock:
            feature = platform.features.get("email")
            if feature is None:
                store = platform.documents
                feature = EmailFeature(
                    platform=platform,
                    signer=UnsubscribeSigner.from_secret(_unsubscribe_key(platform)),
                    suppressions=SuppressionList(store),
                    preferences=Preferences(store),
                    activity=Activity(store),
                    ledger=SendLedger(store),
                )
                platform.features["email"] = feature
    assert isinstance(feature, EmailFeature)
    return feature


def _unsubscribe_key(platform: Platform) -> str:
    from shared.adapters.local.secrets import secret_or_generated

    return secret_or_generated(
        platform.secrets,
        UNSUBSCRIBE_KEY_SECRET,
        local=platform.settings.backend_for("secrets") == "local",
        path=Path(platform.settings.data_dir) / "email-unsubscribe-key",
        generate=lambda: secrets.token_urlsafe(32),
    )
