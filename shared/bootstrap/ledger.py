"""Builds the token ledger (SQL store, token policy from settings, transfers only between
verified accounts as the account directory says) and mints the genesis supply into the
treasury the first time (idempotent: the mint's key is per token); and paid work, priced
from settings and charged on that ledger."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from shared.bootstrap.sql import sql_engine
from shared.ledger.postings import TREASURY
from shared.ledger.pricing import LedgerPaidWork
from shared.ledger.service import Ledger, TokenPolicy
from shared.money import Token, to_minor

if TYPE_CHECKING:
    from shared.bootstrap.features import Features
    from shared.ports.paid_work import PaidWork


def build_ledger(features: Features) -> Ledger:
    from shared.adapters.sql.ledger import SqlLedgerStore

    platform, directory = features.platform, features.directory
    settings = platform.settings

    def verified(user_id: str) -> bool:
        account = directory.account(user_id)
        return account is not None and account.verified

    ledger = Ledger(
        SqlLedgerStore(sql_engine(platform)),
        platform.clock,
        TokenPolicy(
            transfer_burn_bps=settings.transfer_burn_bps,
            aia_inflation_bps_per_year=settings.aia_inflation_bps_per_year,
            staking_yield_bps_per_year=settings.staking_yield_bps_per_year,
        ),
        may_transfer=verified,
    )
    _mint_genesis(ledger, settings.ledger_genesis)
    return ledger


def _mint_genesis(ledger: Ledger, genesis: Mapping[str, str]) -> None:
    for token in Token:
        amount = to_minor(genesis.get(token.value, "0"))
        if amount > 0:
            ledger.mint(token, amount, f"genesis:{token.value}", actor="system:genesis")
    assert ledger.store.balance(TREASURY, Token.AIA) >= 0


def build_paid_work(features: Features) -> PaidWork:
    return LedgerPaidWork(features.ledger, features.platform.settings.prices)
