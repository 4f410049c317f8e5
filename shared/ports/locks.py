"""Tokens held away from a user's wallet for a while, as the wallet shows them: which
ledger account holds them, why, and when they come back. Governance answers it for
conviction locks (`shared.governance.locks`); the ledger reads the amounts itself, so a
lock that was never booked, or was released already, shows nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from shared.money import Token


@dataclass(frozen=True)
class HeldTokens:
    account: str  # the ledger owner holding them
    token: Token
    kind: str  # e.g. "conviction"
    reason: str  # said to the user, e.g. "conviction vote on proposal 3"
    releases_at: datetime | None  # None: when the user asks


class LockRegister(Protocol):
    def locks_of(self, user_id: str) -> list[HeldTokens]:
        """The user's locks that are not released yet, soonest release first."""
        ...
