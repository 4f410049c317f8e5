"""What governance stores, and the port it is stored through."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from shared.errors import Conflict
from shared.events.envelope import Event
from shared.governance.actions import Action
from shared.governance.rules import QuorumMode, Support, Tally, Timeline
from shared.ports.impact import ImpactOrder

LockState = Literal["none", "pending", "held", "released"]
Outcome = Literal["succeeded", "defeated"]


def lock_owner(user_id: str, proposal_id: int) -> str:
    """The ledger owner holding the tokens a voter locked for conviction."""
    return f"locked:{user_id}:{proposal_id}"


@dataclass(frozen=True)
class ProposalDraft:
    proposer_id: str
    title: str
    description: str
    actions: Sequence[Action]
    changes: dict[str, Any]
    created_at: datetime
    snapshot_at: datetime
    deadline_at: datetime
    quorum_bps: int
    quorum_mode: QuorumMode
    timelock: timedelta
    grace_period: timedelta
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Proposal:
    id: int
    proposer_id: str
    title: str
    description: str
    actions: Sequence[Action]
    changes: dict[str, Any]
    created_at: datetime
    snapshot_at: datetime
    deadline_at: datetime
    quorum_bps: int
    quorum_mode: QuorumMode
    timelock: timedelta
    grace_period: timedelta
    outcome: Outcome | None = None  # frozen once voting has closed
    quorum: int | None = None  # stored with the outcome
    queued_at: datetime | None = None
    eta: datetime | None = None
    executed_at: datetime | None = None
    canceled_at: datetime | None = None
    canceled_by: str | None = None
    settled: bool = False  # no time-driven transition can follow

    @property
    def timeline(self) -> Timeline:
        return Timeline(
            created_at=self.created_at,
            snapshot_at=self.snapshot_at,
            deadline_at=self.deadline_at,
            canceled_at=self.canceled_at,
            queued_at=self.queued_at,
            eta=self.eta,
            executed_at=self.executed_at,
            grace_period=self.grace_period,
        )


@dataclass(frozen=True)
class Vote:
    proposal_id: int
    voter_id: str
    support: Support
    power: int  # voting power at the snapshot
    conviction: int  # lock periods, 0 = unlocked
    locked: int  # own AIA_GOV moved to the lock account
    weight: int
    reason: str
    cast_at: datetime
    lock_state: LockState = "none"
    release_at: datetime | None = None
    released_at: datetime | None = None

    @property
    def lock_owner(self) -> str:
        return lock_owner(self.voter_id, self.proposal_id)


class LiveProposalExists(Conflict):
    def __init__(self, proposal_id: int) -> None:
        super().__init__(
            f"proposal {proposal_id} of this proposer is still pending or active",
            problem="live-proposal-exists",
        )
        self.proposal_id = proposal_id


EventsFor = Callable[[Proposal], list[Event]]


class GovernanceStore(Protocol):
    def add_proposal(
        self, draft: ProposalDraft, events: EventsFor, impact: ImpactOrder | None = None
    ) -> tuple[Proposal, bool]:
        """Store a proposal and stage `events(proposal)` in one transaction, with its
        impact preview (`impact.open`: admitted, charged, its runs staged; a refusal
        rolls everything back, `PaymentRequired` or `TooMany`). A replayed (proposer,
        idempotency key) returns the first proposal and True, and orders nothing.
        Raises LiveProposalExists when the proposer has one pending or active."""
        ...

    def proposal(self, proposal_id: int) -> Proposal | None: ...

    def proposals(self, limit: int, before_id: int | None) -> list[Proposal]:
        """Newest first."""
        ...

    def open_proposals(self) -> list[Proposal]:
        """Proposals a time-driven transition may still happen to."""
        ...

    def tallies(self, proposal_ids: Sequence[int]) -> dict[int, Tally]: ...

    def finalize(self, proposal_id: int, outcome: Outcome, quorum: int) -> None:
        """Record the vote's result once (a second call changes nothing)."""
        ...

    def queue(self, proposal_id: int, at: datetime, eta: datetime, events: EventsFor) -> bool:
        """Mark queued and stage events, once; False if it was queued, canceled or
        executed already."""
        ...

    def execute(self, proposal_id: int, at: datetime, events: EventsFor) -> bool: ...

    def cancel(self, proposal_id: int, at: datetime, by: str, events: EventsFor) -> bool: ...

    def settle(self, proposal_id: int) -> None: ...

    def record_milestone(
        self, proposal_id: int, milestone: str, at: datetime, events: EventsFor
    ) -> bool:
        """Stage events for a time-driven milestone exactly once per proposal."""
        ...

    def add_vote(self, vote: Vote) -> tuple[Vote, bool]:
        """Store a vote; (the existing vote, False) if this voter voted already."""
        ...

    def vote(self, proposal_id: int, voter_id: str) -> Vote | None: ...

    def votes(self, proposal_id: int, limit: int, offset: int) -> list[Vote]: ...

    def locks_of(self, voter_id: str) -> list[Vote]:
        """The voter's votes whose conviction lock still holds tokens (pending or held),
        soonest release first."""
        ...

    def set_lock_state(
        self, proposal_id: int, voter_id: str, state: LockState, at: datetime | None = None
    ) -> None: ...

    def drop_pending_vote(self, proposal_id: int, voter_id: str) -> None:
        """Remove a vote whose lock was refused (only while its lock is pending)."""
        ...

    def unlock_vote(self, proposal_id: int, voter_id: str, weight: int) -> None:
        """A pending lock that cannot be made: the vote counts as unlocked."""
        ...

    def locks_to_settle(self, now: datetime, stale_before: datetime) -> list[Vote]:
        """Held locks due for release (or whose proposal was canceled), and pending
        locks older than `stale_before` (a crash between the vote and its lock)."""
        ...

    def delegate(self, delegator: str, delegatee: str | None, at: datetime) -> bool:
        """Add a delegation checkpoint; False if the delegation is unchanged."""
        ...

    def delegate_of(self, user_id: str, at: datetime) -> str | None: ...

    def voting_power(self, user_id: str, at: datetime) -> int:
        """AIA_GOV delegated to `user_id` as of `at`: the holdings (spendable plus
        conviction-locked) at `at` of every account whose delegation then pointed to
        `user_id`. Undelegated holdings count for nobody."""
        ...
