"""The treasury as the features that pay from it see it: pay a user once per key, and
say so in the audit trail. The ledger answers it (`shared.ledger.treasury`); the
composition root hands it to the features that pay (the agents' daily rewards)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from shared.money import Token


class PayoutRefused(Exception):
    """The treasury would not pay: `reason` is the rule that said no (`frozen` wallet,
    `insufficient_funds` in the treasury, `idempotency_conflict`: the key paid another
    amount before)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Payout:
    entry_id: str  # the journal entry that paid it
    replayed: bool  # an earlier call with the same key paid it


class Treasury(Protocol):
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
        """Move `amount` minor units of `token` from the treasury to the user's wallet,
        once per `key` (the same call again returns the first payout, `replayed`). The
        journal entry is of `kind`, by `actor`, with `memo` (the user's history shows
        it). Raises `PayoutRefused`."""
        ...

    def audit(self, user_id: str, *, action: str, actor: str, details: dict[str, Any]) -> None:
        """Record `action` on the user's wallet in the ledger's audit trail."""
        ...
