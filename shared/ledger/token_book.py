"""The token book port (`shared.ports.token_book`) answered by the ledger: balances from
the journal, the circulating supply as what neither the issuance account nor the
treasury holds, held accounts as ledger owners."""

from __future__ import annotations

from datetime import datetime

from shared.ledger.postings import ISSUANCE, TREASURY, LedgerRejected, user_owner
from shared.ledger.service import Ledger
from shared.money import Token
from shared.ports.token_book import BookRefused


class LedgerTokenBook:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def balance(self, user_id: str, token: Token) -> int:
        return self._ledger.store.balance(user_owner(user_id), token)

    def circulating_supply_at(self, token: Token, at: datetime) -> int:
        # minting debits the issuance account: its balance is minus the supply; what the
        # treasury holds has not been handed to anyone yet
        store = self._ledger.store
        return -store.balance_at(ISSUANCE, token, at) - store.balance_at(TREASURY, token, at)

    def hold(
        self,
        user_id: str,
        account: str,
        token: Token,
        amount: int,
        *,
        key: str,
        kind: str,
        actor: str,
        memo: str,
    ) -> datetime:
        return self._move(kind, user_owner(user_id), account, token, amount, key, actor, memo)

    def release(
        self,
        account: str,
        user_id: str,
        token: Token,
        amount: int,
        *,
        key: str,
        kind: str,
        actor: str,
        memo: str,
    ) -> datetime:
        return self._move(kind, account, user_owner(user_id), token, amount, key, actor, memo)

    def _move(
        self,
        kind: str,
        source: str,
        target: str,
        token: Token,
        amount: int,
        key: str,
        actor: str,
        memo: str,
    ) -> datetime:
        try:
            receipt = self._ledger.move(kind, source, target, token, amount, key, actor, memo)
        except LedgerRejected as exc:
            raise BookRefused(exc.reason, exc.detail) from None
        return receipt.created_at
