"""Builds the payments feature from a platform, once per platform; copies what the first
release kept in the document store into SQL as it starts (idempotent)."""

from __future__ import annotations

import threading

from shared.accounts.compose import accounts
from shared.ledger.compose import ledger
from shared.payments.first_release import copy_first_release
from shared.payments.gateway import PaymentGateway
from shared.payments.packs import DEFAULT_PACKS
from shared.payments.service import Payments
from shared.platform import Platform
from shared.ports.secrets import SecretNotFound

_lock = threading.Lock()


def payments(platform: Platform) -> Payments:
    feature = platform.features.get("payments")
    if feature is None:
        with _lock:
            feature = platform.features.get("payments")
            if feature is None:
                feature = _build(platform)
                platform.features["payments"] = feature
    assert isinstance(feature, Payments)
    return feature


def _build(platform: Platform) -> Payments:
    from shared.adapters.sql.database import SqlAlchemyDatabase
    from shared.adapters.sql.ledger import SqlLedgerStore
    from shared.adapters.sql.payments import SqlPaymentsStore

    ledger(platform)  # the schema is migrated and the treasury funded first
    assert isinstance(platform.sql, SqlAlchemyDatabase)
    engine = platform.sql.engine
    store = SqlPaymentsStore(engine, SqlLedgerStore(engine))
    copy_first_release(platform.documents, store, platform.clock.now())
    users = accounts(platform).service.store
    return Payments(
        gateway=lambda: _gateway(platform),
        store=store,
        clock=platform.clock,
        packs=DEFAULT_PACKS,
        app_base_url=platform.settings.app_base_url,
        user_exists=lambda user_id: users.user_by_id(user_id) is not None,
    )


def _gateway(platform: Platform) -> PaymentGateway:
    from shared.adapters.stripe.gateway import StripeGateway

    return StripeGateway(
        _optional_secret(platform, "stripe-secret-key"),
        _optional_secret(platform, "stripe-webhook-secret"),
        platform.settings.stripe_api_base,
    )


def _optional_secret(platform: Platform, name: str) -> str | None:
    try:
        return platform.secrets.get(name)
    except SecretNotFound:
        return None
