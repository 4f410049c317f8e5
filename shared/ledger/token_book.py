"""The token book port (`shared.ports.token_book`) answered by the ledger: balances from
the journal, the supply as minus the issuance account, held accounts as ledger owners."""

from __future__ import annotations

from datetime import datetime

from shared.ledger.postings import ISSUANCE, LedgerRejected, user_owner
from shared.ledger.service import Ledger
from shared.money import Token
from shared.ports.token_book import BookRefused


class LedgerTokenBook:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def balance(self, user_id: str, token: Token) -> int:
        return self._ledger.store.balance(user_owner(user_id), token)

    def supply_at(self, token: Token, at: datetime) -> int:
        # minting debits the issuance account: its balance is minus the supply
        return -self._ledger.store.balance_at(ISSUANCE, token, at)

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
