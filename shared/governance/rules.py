"""The rules of the Governor, pure: the eight states, quorum in both counting modes, and
conviction weights. Amounts are integer minor units of AIA_GOV; shares are basis points."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from shared.money import to_minor
from shared.settings import Settings

BPS = 10_000
QuorumMode = Literal["bravo", "oz"]


class ProposalState(StrEnum):
    """The names of OpenZeppelin's IGovernor.ProposalState and Governor Bravo."""

    PENDING = "Pending"
    ACTIVE = "Active"
    CANCELED = "Canceled"
    DEFEATED = "Defeated"
    SUCCEEDED = "Succeeded"
    QUEUED = "Queued"
    EXPIRED = "Expired"
    EXECUTED = "Executed"


class Support(StrEnum):
    AGAINST = "against"
    FOR = "for"
    ABSTAIN = "abstain"


@dataclass(frozen=True)
class GovernanceRules:
    proposal_threshold: int  # minor units of voting power
    voting_delay: timedelta
    voting_period: timedelta
    quorum_bps: int
    quorum_mode: QuorumMode
    timelock: timedelta
    grace_period: timedelta
    reminder: timedelta
    conviction_max_periods: int
    conviction_step_bps: int
    conviction_cap_bps: int
    unlocked_weight_bps: int
    conviction_period: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> GovernanceRules:
        period = timedelta(seconds=settings.governance_voting_period_seconds)
        conviction = settings.governance_conviction_period_seconds
        return cls(
            proposal_threshold=to_minor(settings.governance_proposal_threshold),
            voting_delay=timedelta(seconds=settings.governance_voting_delay_seconds),
            voting_period=period,
            quorum_bps=settings.governance_quorum_bps,
            quorum_mode=settings.governance_quorum_mode,
            timelock=timedelta(seconds=settings.governance_timelock_seconds),
            grace_period=timedelta(seconds=settings.governance_grace_period_seconds),
            reminder=timedelta(seconds=settings.governance_reminder_seconds),
            conviction_max_periods=settings.governance_conviction_max_periods,
            conviction_step_bps=settings.governance_conviction_step_bps,
            conviction_cap_bps=settings.governance_conviction_cap_bps,
            unlocked_weight_bps=settings.governance_unlocked_weight_bps,
            conviction_period=timedelta(seconds=conviction) if conviction else period,
        )

    def multiplier_bps(self, periods: int) -> int:
        """Weight per locked token for a lock of `periods` (0: the unlocked weight)."""
        if periods <= 0:
            return self.unlocked_weight_bps
        return min(BPS + periods * self.conviction_step_bps, self.conviction_cap_bps)

    def vote_weight(self, power: int, locked: int, periods: int) -> int:
        """Conviction voting: the part of the power backed by locked tokens weighs
        1 + 0.1 k (capped), the rest weighs as unlocked tokens (0.1). Rounded down."""
        boosted = min(locked, power) if periods > 0 else 0
        unlocked = power - boosted
        total = boosted * self.multiplier_bps(periods) + unlocked * self.unlocked_weight_bps
        return total // BPS

    def lock_release(self, deadline: datetime, periods: int) -> datetime:
        """Locked tokens come back `periods` conviction periods after voting closes."""
        return deadline + periods * self.conviction_period


@dataclass(frozen=True)
class Tally:
    """Votes by support: `weight` decides for/against, `power` (raw tokens at the
    snapshot, without conviction) counts towards quorum."""

    for_weight: int = 0
    against_weight: int = 0
    abstain_weight: int = 0
    for_power: int = 0
    against_power: int = 0
    abstain_power: int = 0
    voters: int = 0

    def quorum_votes(self, mode: QuorumMode) -> int:
        return self.for_power + (self.abstain_power if mode == "oz" else 0)


def quorum_of(supply_at_snapshot: int, quorum_bps: int) -> int:
    """GovernorVotesQuorumFraction: pastTotalSupply * numerator / denominator."""
    return supply_at_snapshot * quorum_bps // BPS


def succeeded(tally: Tally, quorum: int, mode: QuorumMode) -> bool:
    """Passes only when quorum is met and For outweighs Against."""
    return tally.quorum_votes(mode) >= quorum and tally.for_weight > tally.against_weight


@dataclass(frozen=True)
class Timeline:
    created_at: datetime
    snapshot_at: datetime  # voting power is read here; voting opens just after
    deadline_at: datetime  # last instant of voting
    canceled_at: datetime | None = None
    queued_at: datetime | None = None
    eta: datetime | None = None
    executed_at: datetime | None = None
    grace_period: timedelta = timedelta(days=14)


def state_at(timeline: Timeline, now: datetime, outcome_succeeded: bool | None) -> ProposalState:
    """The state from the clock and stored flags, in Governor's order of checks.
    `outcome_succeeded` is the vote's result (None: not needed before the deadline)."""
    if timeline.executed_at is not None:
        return ProposalState.EXECUTED
    if timeline.canceled_at is not None:
        return ProposalState.CANCELED
    if now <= timeline.snapshot_at:
        return ProposalState.PENDING
    if now <= timeline.deadline_at:
        return ProposalState.ACTIVE
    if not outcome_succeeded:
        return ProposalState.DEFEATED
    if timeline.eta is None:
        return ProposalState.SUCCEEDED
    if now >= timeline.eta + timeline.grace_period:
        return ProposalState.EXPIRED
    return ProposalState.QUEUED
