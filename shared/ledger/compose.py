"""Builds the ledger feature from a platform, once per platform; mints the genesis
supply into the treasury the first time (idempotent)."""

from __future__ import annotations

import threading

from shared.accounts.compose import accounts
from shared.ledger.postings import TREASURY
from shared.ledger.service import Ledger, TokenPolicy
from shared.money import Token, to_minor
from shared.platform import Platform

_lock = threading.Lock()


def ledger(platform: Platform) -> Ledger:
    feature = platform.features.get("ledger")
    if feature is None:
        accounts(platform)  # the schema is migrated there for the embedded database
        with _lock:
            feature = platform.features.get("ledger")
            if feature is None:
                feature = _build(platform)
                platform.features["ledger"] = feature
    assert isinstance(feature, Ledger)
    return feature


def _build(platform: Platform) -> Ledger:
    from shared.adapters.sql.database import SqlAlchemyDatabase
    from shared.adapters.sql.ledger import SqlLedgerStore

    assert isinstance(platform.sql, SqlAlchemyDatabase)
    settings = platform.settings
    users = accounts(platform).service.store

    def verified(user_id: str) -> bool:
        user = users.user_by_id(user_id)
        return user is not None and user.verified

    built = Ledger(
        SqlLedgerStore(platform.sql.engine),
        platform.clock,
        TokenPolicy(
            transfer_burn_bps=settings.transfer_burn_bps,
            aia_inflation_bps_per_year=settings.aia_inflation_bps_per_year,
            staking_yield_bps_per_year=settings.staking_yield_bps_per_year,
        ),
        may_transfer=verified,
    )
    for token in Token:
        amount = to_minor(settings.ledger_genesis.get(token.value, "0"))
        if amount > 0:
            built.mint(token, amount, f"genesis:{token.value}", actor="system:genesis")
    assert built.store.balance(TREASURY, Token.AIA) >= 0
    return built


def price(platform: Platform, item: str) -> int:
    """What `item` costs in AIA minor units (0: free)."""
    return to_minor(platform.settings.prices.get(item, "0"))
