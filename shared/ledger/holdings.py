"""What a user holds away from their wallet: their stake (back whenever they unstake) and
the locks other features hold for them (conviction votes), each with the amount the ledger
holds now. The journal is the truth for amounts: a lock booked nowhere, or released
already, holds nothing and is left out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from shared.ledger.postings import LedgerStore
from shared.ledger.service import staked_owner
from shared.money import Token
from shared.ports.locks import HeldTokens

STAKE_REASON = "staked: earns the staking yield; unstake any time (POST /v1/wallet/unstake)"


@dataclass(frozen=True)
class HeldAmount:
    kind: str
    amount: int  # minor units
    reason: str
    releases_at: datetime | None


def holdings(
    store: LedgerStore, user_id: str, locks: list[HeldTokens]
) -> dict[Token, list[HeldAmount]]:
    """By token, the user's stake and locks that hold something, soonest release first
    (a stake, released on request, last)."""
    held: dict[Token, list[HeldAmount]] = defaultdict(list)
    for lock in locks:
        amount = store.balance(lock.account, lock.token)
        if amount > 0:
            held[lock.token].append(HeldAmount(lock.kind, amount, lock.reason, lock.releases_at))
    for token, amount in store.balances(staked_owner(user_id)).items():
        if amount > 0:
            held[token].append(HeldAmount("stake", amount, STAKE_REASON, None))
    return dict(held)
