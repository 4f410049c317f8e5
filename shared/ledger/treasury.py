"""The treasury port (`shared.ports.treasury`) answered by the ledger: payouts are
postings from the treasury keyed by the caller, so a replay is applied once."""

from __future__ import annotations

from typing import Any

from shared.ledger.postings import TREASURY, IdempotencyConflict, LedgerRejected, user_owner
from shared.ledger.service import Ledger
from shared.money import Token
from shared.ports.treasury import Payout, PayoutRefused


class LedgerTreasury:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def pay(
        self,
        user_id: str,
        token: Token,
        amount: int,
        *,
        key: str,
        kind: str,
        actor: str,
        memo: str,
    ) -> Payout:
        try:
            receipt = self._ledger.move(
                kind, TREASURY, user_owner(user_id), token, amount, key, actor, memo
            )
        except LedgerRejected as exc:
            raise PayoutRefused(exc.reason, exc.detail) from None
        except IdempotencyConflict as exc:
            raise PayoutRefused("idempotency_conflict", str(exc)) from None
        return Payout(receipt.entry_id, receipt.replayed)

    def audit(self, user_id: str, *, action: str, actor: str, details: dict[str, Any]) -> None:
        self._ledger.store.audit(
            self._ledger.clock.now(), actor, action, user_owner(user_id), details
        )
