"""Why a proposal passed or failed, in numbers and in one line: the quorum (AIA_GOV
needed against AIA_GOV cast) and For against Against. Pure: it reads the proposal, its
state, tally and quorum, and says what they mean, so the API and readers agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from shared.governance.records import Proposal
from shared.governance.rules import BPS, ProposalState, Tally
from shared.money import UNIT

Result = Literal["pending", "voting", "passed", "failed", "canceled"]
_PASSED = {
    ProposalState.SUCCEEDED,
    ProposalState.QUEUED,
    ProposalState.EXECUTED,
    ProposalState.EXPIRED,
}


@dataclass(frozen=True)
class QuorumCount:
    needed: int | None  # AIA_GOV (minor units); None until the snapshot has passed
    cast: int  # raw power of the votes that count towards it
    counts: Literal["for", "for+abstain"]
    percent: str  # of the circulating supply at the snapshot

    @property
    def reached(self) -> bool | None:
        return None if self.needed is None else self.cast >= self.needed


@dataclass(frozen=True)
class ProposalOutcome:
    result: Result
    quorum: QuorumCount
    for_votes: int  # conviction-weighted
    against_votes: int
    abstain_votes: int
    reason: str  # one line for people

    @property
    def for_outweighs_against(self) -> bool:
        return self.for_votes > self.against_votes


def tokens(minor: int) -> str:
    """An amount as people read it: `2,500.5 AIA_GOV`."""
    value = (Decimal(minor) / UNIT).normalize()
    return f"{value:,f} AIA_GOV"


def when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S UTC")


def outcome_of(
    proposal: Proposal, state: ProposalState, tally: Tally, quorum: int | None
) -> ProposalOutcome:
    counts: Literal["for", "for+abstain"] = "for+abstain" if proposal.quorum_mode == "oz" else "for"
    count = QuorumCount(
        needed=quorum,
        cast=tally.quorum_votes(proposal.quorum_mode),
        counts=counts,
        percent=f"{proposal.quorum_bps * 100 / BPS:g}",
    )
    result: Result
    if state is ProposalState.PENDING:
        result = "pending"
        reason = (
            f"Voting opens after {when(proposal.snapshot_at)}; it passes with a quorum of "
            f"{count.percent} % of the circulating AIA_GOV at that moment "
            f"({_counted(counts)}) and more weighted votes For than Against."
        )
    elif state is ProposalState.ACTIVE:
        result = "voting"
        reason = (
            f"Voting is open until {when(proposal.deadline_at)}: so far "
            f"{_quorum_so_far(count)}; {_majority(tally, closed=False)}."
        )
    elif state is ProposalState.CANCELED:
        result = "canceled"
        at = proposal.canceled_at
        reason = f"Canceled by {proposal.canceled_by or 'its proposer'}" + (
            f" at {when(at)}." if at else "."
        )
    elif state in _PASSED:
        result = "passed"
        reason = f"Passed: {_quorum_line(count)}, and {_majority(tally)}."
    else:
        result = "failed"
        failures = []
        if not count.reached:
            failures.append(_quorum_line(count))
        if tally.for_weight <= tally.against_weight:
            failures.append(_majority(tally))
        reason = "Failed: " + "; ".join(failures) + "."
    return ProposalOutcome(
        result=result,
        quorum=count,
        for_votes=tally.for_weight,
        against_votes=tally.against_weight,
        abstain_votes=tally.abstain_weight,
        reason=reason,
    )


def _counted(counts: str) -> str:
    return "For and Abstain count" if counts == "for+abstain" else "only For counts"


def _quorum_line(count: QuorumCount) -> str:
    needed = "?" if count.needed is None else tokens(count.needed)
    reached = "reached" if count.reached else "not reached"
    return (
        f"quorum {reached} ({tokens(count.cast)} cast of {needed} needed, "
        f"{count.percent} % of circulating AIA_GOV; {_counted(count.counts)})"
    )


def _quorum_so_far(count: QuorumCount) -> str:
    needed = "?" if count.needed is None else tokens(count.needed)
    return f"{tokens(count.cast)} cast of {needed} needed for quorum"


def _majority(tally: Tally, closed: bool = True) -> str:
    if tally.for_weight > tally.against_weight:
        verb = "outweighed" if closed else "outweighs"
    else:
        verb = "did not outweigh" if closed else "does not outweigh"
    return (
        f"For {verb} Against ({_weighted(tally.for_weight)} to "
        f"{_weighted(tally.against_weight)}, conviction-weighted)"
    )


def _weighted(minor: int) -> str:
    return tokens(minor).removesuffix(" AIA_GOV")
