"""A user's AIA_GOV held by conviction votes, as other features see it (the wallet shows
what is locked and when it comes back). Governance answers it
(`Governance.conviction_locks`); the composition root hands it to whoever asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from shared.money import Token


@dataclass(frozen=True)
class ConvictionLock:
    proposal_id: int
    token: Token
    amount: int  # minor units out of the user's spendable balance until released
    release_at: datetime  # back in the wallet at the first governance run from then


class ConvictionLocks(Protocol):
    def conviction_locks(self, user_id: str) -> list[ConvictionLock]:
        """The user's locks still holding tokens, soonest release first."""
        ...
