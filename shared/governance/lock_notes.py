"""What conviction locks hold, said to the voter: a lock keeps the voter's own AIA_GOV out
of their wallet until some periods after its vote closes, so a later conviction vote can
lock only what is still free. These say which locks hold what, and until when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.governance.outcome import tokens, when
from shared.governance.records import Vote
from shared.money import Token


@dataclass(frozen=True)
class ConvictionLock:
    """Own AIA_GOV a conviction vote holds (the wallet's view of the same lock is
    `shared.governance.locks`, through the `LockRegister` port)."""

    proposal_id: int
    token: Token
    amount: int  # minor units out of the user's spendable balance until released
    release_at: datetime  # back in the wallet at the first governance run from then


def as_conviction_lock(vote: Vote) -> ConvictionLock:
    assert vote.release_at is not None, "a vote that locks tokens has a release time"
    return ConvictionLock(
        proposal_id=vote.proposal_id,
        token=Token.AIA_GOV,
        amount=vote.locked,
        release_at=vote.release_at,
    )


def held_by(locks: list[ConvictionLock]) -> str:
    """`20,000 AIA_GOV until 2026-01-22 00:00:00 UTC (proposal 1), ...`"""
    return ", ".join(
        f"{tokens(lock.amount)} until {when(lock.release_at)} (proposal {lock.proposal_id})"
        for lock in locks
    )


def nothing_to_lock(power: int, locks: list[ConvictionLock]) -> str:
    """Why a conviction vote cannot lock anything, and what the voter can do instead."""
    if locks:
        return (
            "conviction locks your own AIA_GOV and none is free: your earlier conviction "
            f"votes hold {held_by(locks)}. Vote with conviction 0 (your "
            f"{tokens(power)} of voting power weighs 0.1), or vote with conviction once "
            "a lock is released"
        )
    return (
        "conviction locks your own AIA_GOV and your wallet holds none: your "
        f"{tokens(power)} of voting power is delegated to you. Vote with conviction 0 "
        "(it weighs 0.1)"
    )


def partial_lock_note(vote: Vote, locks_elsewhere: list[ConvictionLock]) -> str | None:
    """A conviction vote that could lock only part of its power says so (None when the
    whole power is locked, or the vote locks nothing by choice)."""
    if vote.conviction <= 0 or vote.locked >= vote.power or vote.release_at is None:
        return None
    note = (
        f"{tokens(vote.locked)} of your {tokens(vote.power)} of voting power is locked "
        f"here until {when(vote.release_at)}; the other "
        f"{tokens(vote.power - vote.locked)} weighs 0.1"
    )
    if locks_elsewhere:
        return note + f" because your other conviction votes hold {held_by(locks_elsewhere)}"
    return note + " (it is delegated to you, or not in your wallet)"
