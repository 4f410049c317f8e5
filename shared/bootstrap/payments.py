"""Builds the wallet's card purchases: the SQL purchases store beside the ledger's (one
transaction per Stripe event), the Stripe gateway from secrets (built per use, so keys
set after start are seen), and "does this user exist" from the account directory. Copies
what the first release kept in the document store into SQL as it starts (idempotent)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.bootstrap.sql import sql_engine
from shared.ledger.payments.first_release import copy_first_release
from shared.ledger.payments.gateway import PaymentGateway
from shared.ledger.payments.packs import DEFAULT_PACKS
from shared.ledger.payments.service import Payments
from shared.platform import Platform
from shared.ports.secrets import SecretNotFound

if TYPE_CHECKING:
    from shared.bootstrap.features import Features


def build_payments(features: Features) -> Payments:
    from shared.adapters.sql.ledger import SqlLedgerStore
    from shared.adapters.sql.payments import SqlPaymentsStore

    platform, directory = features.platform, features.directory
    features.ledger  # noqa: B018 - the treasury holds its genesis supply before any sale
    engine = sql_engine(platform)
    store = SqlPaymentsStore(engine, SqlLedgerStore(engine))
    copy_first_release(platform.documents, store, platform.clock.now())
    return Payments(
        gateway=lambda: _gateway(platform),
        store=store,
        clock=platform.clock,
        packs=DEFAULT_PACKS,
        app_base_url=platform.settings.app_base_url,
        user_exists=lambda user_id: directory.account(user_id) is not None,
        checkout_origin=platform.settings.stripe_checkout_origin,
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
