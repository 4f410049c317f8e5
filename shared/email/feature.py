"""The email feature as the composition root hands it to handlers and routes: the ports
it sends through, the accounts it reaches (through the directory and audience ports),
suppressions, preferences, activity and the send log, and the settings values links and
headers are made of. Built once per process by `shared.bootstrap.email`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from shared.email.audience import Activity, Preferences, SuppressionList
from shared.email.delivery import MailRouter
from shared.email.send_log import SendLedger
from shared.email.types import EmailSpec
from shared.email.unsubscribe import UnsubscribeSigner
from shared.ports.audience import AccountAudience
from shared.ports.clock import Clock
from shared.ports.directory import AccountDirectory
from shared.ports.secrets import Secrets
from shared.ports.tasks import TaskQueue
from shared.ports.workflows import WorkflowRunner


@dataclass(frozen=True)
class MailSettings:
    """The settings values the email feature reads."""

    primary_domain: str
    app_base_url: str  # where links in the email point
    api_base: str  # where unsubscribe links point
    webhook_max_age_seconds: int  # SendGrid event webhook signatures older than this fail
    reply_to: Mapping[str, str] = field(default_factory=dict)  # role -> address


@dataclass
class EmailFeature:
    settings: MailSettings
    clock: Clock
    tasks: TaskQueue
    workflows: WorkflowRunner
    secrets: Secrets
    directory: AccountDirectory
    audience: AccountAudience
    suppressions: SuppressionList
    preferences: Preferences
    activity: Activity
    ledger: SendLedger
    # Built on first use, not with the feature: the delivery router (adapters read their
    # credentials then) and the unsubscribe signer (its key is a secret), so the journey
    # starters, which only start workflows, need no secrets.
    build_router: Callable[[], MailRouter] = field(repr=False)
    build_signer: Callable[[], UnsubscribeSigner] = field(repr=False)
    # when this instance last recorded each user's activity (writes are throttled)
    activity_written: dict[str, datetime] = field(default_factory=dict, repr=False)
    _router: MailRouter | None = field(default=None, repr=False)
    _signer: UnsubscribeSigner | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def router(self) -> MailRouter:
        if self._router is None:
            with self._lock:
                if self._router is None:
                    self._router = self.build_router()
        return self._router

    def use_router(self, router: MailRouter) -> None:
        self._router = router

    @property
    def signer(self) -> UnsubscribeSigner:
        if self._signer is None:
            with self._lock:
                if self._signer is None:
                    self._signer = self.build_signer()
        return self._signer

    def unsubscribe_url(self, address: str, category: str, user_id: str | None) -> str:
        token = self.signer.token(address, category, user_id)
        return f"{self.settings.api_base}/v1/emails/unsubscribe?token={token}"

    @property
    def preferences_url(self) -> str:
        return f"{self.settings.app_base_url.rstrip('/')}/settings/email"

    def reply_to(self, spec: EmailSpec) -> str:
        domain = self.settings.primary_domain
        return self.settings.reply_to.get(spec.role) or spec.sender(domain)
