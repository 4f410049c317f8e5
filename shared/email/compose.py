"""Builds the email feature from a platform's ports, once per platform: the delivery
router (adapters chosen by settings), the unsubscribe signer (key from the secrets
port), suppressions, preferences, activity and the send ledger."""

from __future__ import annotations

import logging
import os
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from shared.email.audience import Activity, Preferences, SuppressionList
from shared.email.delivery import MailRouter
from shared.email.ledger import SendLedger
from shared.email.unsubscribe import UnsubscribeSigner
from shared.platform import Platform
from shared.ports.secrets import SecretNotFound

log = logging.getLogger("aia.email")
UNSUBSCRIBE_KEY_SECRET = "email-unsubscribe-key"  # noqa: S105 - a secret's name
_lock = threading.Lock()
_key_lock = threading.Lock()


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
    try:
        return platform.secrets.get(UNSUBSCRIBE_KEY_SECRET)
    except SecretNotFound:
        if platform.settings.backend_for("secrets") != "local":
            raise
    # Embedded runs make their own key once and keep it with the data, so links in the
    # local outbox keep working after a restart. Production keys live in Secret Manager.
    path = Path(platform.settings.data_dir) / "email-unsubscribe-key"
    with _key_lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(32))
            log.info("generated a local unsubscribe signing key", extra={"path": str(path)})
    return path.read_text().strip()
