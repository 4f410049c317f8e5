"""Governance events: every state change of a proposal (for the governance email journey
and the audit trail), the executed policy change (for the live flagship simulation), and
the scheduled request that detects time-driven transitions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from shared.events.envelope import EventData
from shared.governance.actions import PolicyAction


class ProposalFacts(BaseModel):
    """What every proposal event says about the proposal at the moment it happened.
    Vote totals are exact decimal strings of conviction-weighted AIA_GOV."""

    proposal_id: str
    title: str
    summary: str = Field(max_length=5000)
    proposer_id: str
    state: str
    snapshot_at: datetime
    voting_ends_at: datetime
    eta: datetime | None = None
    votes_for: str = "0.000000"
    votes_against: str = "0.000000"
    votes_abstain: str = "0.000000"
    quorum: str | None = None
    quorum_reached: bool | None = None
    proposal_url: str | None = None
    # why it passed or failed (or how it stands), with the numbers: the API's outcome
    outcome_reason: str | None = Field(default=None, max_length=500)

    def subject(self) -> str:
        return f"governance/proposals/{self.proposal_id}"

    def ordering_key(self) -> str:
        return f"governance/proposals/{self.proposal_id}"


class ProposalCreated(ProposalFacts, EventData, event_type="tech.013a.governance.proposal.created"):
    """A proposal was made; voting opens after the voting delay."""


class ProposalVotingStarted(
    ProposalFacts, EventData, event_type="tech.013a.governance.proposal.voting_started"
):
    """The snapshot is taken and votes are open (the journey's "opened" mail)."""


class ProposalVotingEndsSoon(
    ProposalFacts, EventData, event_type="tech.013a.governance.proposal.voting_ends_soon"
):
    """The reminder: voting closes at `voting_ends_at`."""


class ProposalSucceeded(
    ProposalFacts, EventData, event_type="tech.013a.governance.proposal.succeeded"
):
    """Voting closed with quorum and more For than Against; it can be queued."""


class ProposalDefeated(
    ProposalFacts, EventData, event_type="tech.013a.governance.proposal.defeated"
):
    """Voting closed without quorum, or For did not outweigh Against."""


class ProposalQueued(ProposalFacts, EventData, event_type="tech.013a.governance.proposal.queued"):
    """In the timelock: executable from `eta` until the grace period ends."""


class ProposalExecuted(
    ProposalFacts, EventData, event_type="tech.013a.governance.proposal.executed"
):
    """The policy change is decided: the live flagship simulation applies `changes`
    (the format of `SimulationParams.with_policy_changes`) between two ticks."""

    target: Literal["flagship"] = "flagship"
    changes: dict[str, Any]
    actions: list[PolicyAction]


class ProposalCanceled(
    ProposalFacts, EventData, event_type="tech.013a.governance.proposal.canceled"
):
    canceled_by: str


class ProposalExpired(ProposalFacts, EventData, event_type="tech.013a.governance.proposal.expired"):
    """Queued but not executed before the grace period ended."""


class GovernanceTickRequested(EventData, event_type="tech.013a.governance.tick.requested"):
    """Scheduled every few minutes: publish time-driven transitions, release locks."""

    limit: int = Field(default=500, ge=1, le=5000)


# Every event on the governance topic: each subscriber of the topic receives them all.
PROPOSAL_EVENTS: tuple[type[EventData], ...] = (
    ProposalCreated,
    ProposalVotingStarted,
    ProposalVotingEndsSoon,
    ProposalSucceeded,
    ProposalDefeated,
    ProposalQueued,
    ProposalExecuted,
    ProposalCanceled,
    ProposalExpired,
)

ProposalEvent = (
    ProposalCreated
    | ProposalVotingStarted
    | ProposalVotingEndsSoon
    | ProposalSucceeded
    | ProposalDefeated
    | ProposalQueued
    | ProposalExecuted
    | ProposalCanceled
    | ProposalExpired
)
