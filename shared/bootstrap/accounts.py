"""Builds the accounts feature: the SQL account store, password hashing from settings,
the token signing key ring from the secrets port, the rate limiter (in process or Redis),
and the first admin named in settings."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from shared.accounts.feature import Accounts
from shared.accounts.passwords import Passwords
from shared.accounts.service import AccountService
from shared.accounts.tokens import KeyRing
from shared.bootstrap.sql import sql_engine
from shared.errors import DomainError
from shared.events.envelope import Event
from shared.events.outbox import publish_staged
from shared.platform import Platform
from shared.ports.limits import RateLimiter

if TYPE_CHECKING:
    from shared.bootstrap.features import Features

log = logging.getLogger("aia.accounts")
SIGNING_KEYS_SECRET = "jwt-signing-keys"  # noqa: S105 - a secret's name, not its value
_KEY_RING_TTL = 300.0


def build_accounts(features: Features) -> Accounts:
    from shared.adapters.sql.accounts import SqlAccountStore

    platform, outbox = features.platform, features.outbox
    settings = platform.settings

    def publish(events: Sequence[Event]) -> None:
        publish_staged(outbox, platform.events, events)

    service = AccountService(
        store=SqlAccountStore(sql_engine(platform)),
        passwords=Passwords(settings.password_hash_time_cost, settings.password_hash_memory_kib),
        key_ring=_key_ring_source(platform),
        clock=platform.clock,
        settings=settings,
        publish=publish,
    )
    if settings.admin_email and settings.admin_password:
        try:
            service.ensure_admin(settings.admin_email, settings.admin_password.get_secret_value())
        except DomainError as exc:
            # A bad operator setting must not take the whole API down: say so loudly.
            log.error("first admin not created: %s", exc.detail, extra={"setting": "AIA_ADMIN_*"})
    return Accounts(service=service, outbox=outbox, limiter=features.rate_limiter)


def build_rate_limiter(platform: Platform) -> RateLimiter:
    if platform.settings.rate_limiter == "redis":
        from shared.adapters.redis.limits import RedisRateLimiter

        return RedisRateLimiter(platform.settings.redis_url)
    from shared.adapters.local.limits import InProcessRateLimiter

    return InProcessRateLimiter(platform.clock)


def _key_ring_source(platform: Platform) -> Callable[[], KeyRing]:
    cached: list[tuple[float, KeyRing]] = []

    def key_ring() -> KeyRing:
        # Re-read the secret every few minutes so a rotated-in key is picked up.
        if cached and time.monotonic() - cached[0][0] < _KEY_RING_TTL:
            return cached[0][1]
        ring = KeyRing.from_json(_signing_keys(platform))
        cached[:] = [(time.monotonic(), ring)]
        return ring

    return key_ring


def _signing_keys(platform: Platform) -> str:
    from shared.adapters.local.secrets import secret_or_generated

    return secret_or_generated(
        platform.secrets,
        SIGNING_KEYS_SECRET,
        local=platform.settings.backend_for("secrets") == "local",
        path=Path(platform.settings.data_dir) / "jwt-signing-keys.json",
        generate=KeyRing.generate_json,
    )
