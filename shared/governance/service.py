"""Governance use cases: delegate, propose, vote (with conviction locks in the ledger),
cancel, queue, execute, and the scheduled detection of time-driven transitions.

Every state change and the events announcing it are written in one transaction (the
SQL outbox), so an event is published exactly when its change is stored; time-driven
announcements are claimed once per proposal and milestone, so a job run twice says
each thing once."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.events.envelope import Event, EventData, new_event
from shared.governance.actions import Action, ActionProblem, action_problems, policy_changes
from shared.governance.events import (
    ProposalCanceled,
    ProposalCreated,
    ProposalDefeated,
    ProposalExecuted,
    ProposalExpired,
    ProposalQueued,
    ProposalSucceeded,
    ProposalVotingEndsSoon,
    ProposalVotingStarted,
)
from shared.governance.lock_notes import (
    ConvictionLock,
    as_conviction_lock,
    nothing_to_lock,
    partial_lock_note,
)
from shared.governance.outcome import ProposalOutcome, outcome_of
from shared.governance.records import (
    GovernanceStore,
    Outcome,
    Proposal,
    ProposalDraft,
    Vote,
)
from shared.governance.rules import (
    GovernanceRules,
    ProposalState,
    Support,
    Tally,
    quorum_of,
    state_at,
    succeeded,
)
from shared.money import Token, in_tokens, to_decimal
from shared.ports.clock import Clock
from shared.ports.impact import ImpactPreviews
from shared.ports.token_book import BookRefused, TokenBook

log = logging.getLogger("aia.governance")
_EVENT_IDS = uuid.UUID("3d0b7c52-9a51-4e0f-a6f4-013a90e0a5e1")
STALE_LOCK = timedelta(minutes=5)  # a pending lock this old was interrupted: finish it


class InvalidActions(Exception):
    def __init__(self, problems: list[ActionProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class ProposalView:
    proposal: Proposal
    state: ProposalState
    tally: Tally
    quorum: int | None  # known once the snapshot has passed

    @property
    def quorum_reached(self) -> bool | None:
        if self.quorum is None:
            return None
        return self.tally.quorum_votes(self.proposal.quorum_mode) >= self.quorum

    @property
    def outcome(self) -> ProposalOutcome:
        return outcome_of(self.proposal, self.state, self.tally, self.quorum)


@dataclass(frozen=True)
class VotingPower:
    user_id: str
    delegate: str | None
    votes: int  # delegated to this user now
    balance: int  # spendable AIA_GOV
    locks: list[ConvictionLock]  # own AIA_GOV held by conviction votes

    @property
    def locked(self) -> int:
        return sum(lock.amount for lock in self.locks)


@dataclass(frozen=True)
class CastVote:
    """A vote as its caster sees it: with the locks of their other votes that kept
    tokens from this one's lock, and a note when it locked only part of its power."""

    vote: Vote
    replayed: bool
    locks_elsewhere: list[ConvictionLock]

    @property
    def lock_note(self) -> str | None:
        return partial_lock_note(self.vote, self.locks_elsewhere)


BuildEvent = Callable[[dict[str, Any]], EventData]
# The time-driven announcements, by milestone (each published once per proposal).
MILESTONE_EVENTS: dict[str, BuildEvent] = {
    "voting_started": lambda facts: ProposalVotingStarted(**facts),
    "voting_ends_soon": lambda facts: ProposalVotingEndsSoon(**facts),
    "succeeded": lambda facts: ProposalSucceeded(**facts),
    "defeated": lambda facts: ProposalDefeated(**facts),
    "expired": lambda facts: ProposalExpired(**facts),
}


class Announcement:
    """Builds a proposal's event inside the store's transaction (which stages it in the
    outbox) and keeps it, to publish right after the commit."""

    def __init__(self, build: Callable[[Proposal], Event]) -> None:
        self._build = build
        self.events: list[Event] = []

    def __call__(self, current: Proposal) -> list[Event]:
        self.events = [self._build(current)]
        return self.events


class Governance:
    def __init__(
        self,
        store: GovernanceStore,
        book: TokenBook,
        clock: Clock,
        rules: GovernanceRules,
        publish: Callable[[list[Event]], None],
        app_base_url: str = "",
        impact: ImpactPreviews | None = None,
    ) -> None:
        self.store = store
        self.book = book
        self.clock = clock
        self.rules = rules
        self._publish = publish
        self._app_base_url = app_base_url.rstrip("/")
        self.impact = impact  # previews of what a proposal would do (None: none)

    # -- delegation ---------------------------------------------------------------------
    def delegate(self, user_id: str, to: str | None) -> VotingPower:
        """Point the user's AIA_GOV votes at `to` (themselves included; None: nobody)."""
        self.store.delegate(user_id, to, self.clock.now())
        return self.voting_power(user_id)

    def voting_power(self, user_id: str) -> VotingPower:
        now = self.clock.now()
        return VotingPower(
            user_id=user_id,
            delegate=self.store.delegate_of(user_id, now),
            votes=self.store.voting_power(user_id, now),
            balance=self.book.balance(user_id, Token.AIA_GOV),
            locks=self.conviction_locks(user_id),
        )

    def conviction_locks(self, user_id: str) -> list[ConvictionLock]:
        """The user's AIA_GOV held by their conviction votes (what the voter is told;
        the wallet shows the same locks through `shared.governance.locks`)."""
        return [as_conviction_lock(v) for v in self.store.locks_of(user_id)]

    # -- proposing ----------------------------------------------------------------------
    def propose(
        self,
        proposer_id: str,
        title: str,
        description: str,
        actions: Sequence[Action],
        idempotency_key: str | None = None,
    ) -> tuple[ProposalView, bool]:
        problems = action_problems(actions)
        if problems:
            raise InvalidActions(problems)
        now = self.clock.now()
        power = self.store.voting_power(proposer_id, now)
        threshold = self.rules.proposal_threshold
        if power < threshold:
            raise Forbidden(
                f"proposing needs {in_tokens(threshold, Token.AIA_GOV)} of voting power "
                f"delegated to you; you have {in_tokens(power, Token.AIA_GOV)}",
                problem="below-proposal-threshold",
            )
        snapshot = now + self.rules.voting_delay
        draft = ProposalDraft(
            proposer_id=proposer_id,
            title=title,
            description=description,
            actions=list(actions),
            changes=policy_changes(actions),
            created_at=now,
            snapshot_at=snapshot,
            deadline_at=snapshot + self.rules.voting_period,
            quorum_bps=self.rules.quorum_bps,
            quorum_mode=self.rules.quorum_mode,
            timelock=self.rules.timelock,
            grace_period=self.rules.grace_period,
            idempotency_key=idempotency_key,
        )
        # the preview is paid and stored with the proposal, or neither is (a replayed
        # idempotency key returns the first proposal and orders nothing again)
        order = None
        if self.impact is not None:
            order = self.impact.order(proposer_id, draft.changes, self.impact.quote(draft.changes))
        created = self._announcing("created", lambda facts: ProposalCreated(**facts), Tally(), None)
        proposal, replayed = self.store.add_proposal(draft, created, order)
        self._publish([*created.events, *([] if order is None or replayed else order.events)])
        if not replayed:
            log.info("proposal created", extra={"proposal_id": proposal.id})
        return self.view(proposal), replayed

    # -- reading ------------------------------------------------------------------------
    def get(self, proposal_id: int) -> Proposal:
        proposal = self.store.proposal(proposal_id)
        if proposal is None:
            raise NotFound("proposal", str(proposal_id), detail=f"no proposal {proposal_id}")
        return proposal

    def view(self, proposal: Proposal, tally: Tally | None = None) -> ProposalView:
        """The proposal with its state, tally and quorum now."""
        now = self.clock.now()
        proposal = self._finalized(proposal, now)
        if tally is None:
            tally = self.store.tallies([proposal.id]).get(proposal.id, Tally())
        quorum = proposal.quorum
        if quorum is None and now > proposal.snapshot_at:
            quorum = self._quorum(proposal)
        # the outcome is consulted only after the deadline, when it is stored
        state = state_at(proposal.timeline, now, proposal.outcome == "succeeded")
        return ProposalView(proposal, state, tally, quorum)

    def views(self, proposals: Sequence[Proposal]) -> list[ProposalView]:
        tallies = self.store.tallies([p.id for p in proposals])
        return [self.view(p, tallies.get(p.id, Tally())) for p in proposals]

    def _quorum(self, proposal: Proposal) -> int:
        # the treasury's tokens cannot vote: counting them would put quorum out of reach
        supply = self.book.circulating_supply_at(Token.AIA_GOV, proposal.snapshot_at)
        return quorum_of(supply, proposal.quorum_bps)

    def _finalized(self, proposal: Proposal, now: datetime) -> Proposal:
        """Once voting has closed, the result is computed once and stored, so later
        reads, the queue and the announcements all see the same outcome."""
        if proposal.outcome is not None or now <= proposal.deadline_at:
            return proposal
        tally = self.store.tallies([proposal.id]).get(proposal.id, Tally())
        quorum = self._quorum(proposal)
        outcome: Outcome = (
            "succeeded" if succeeded(tally, quorum, proposal.quorum_mode) else "defeated"
        )
        self.store.finalize(proposal.id, outcome, quorum)
        return self.get(proposal.id)

    # -- voting -------------------------------------------------------------------------
    def cast_vote(
        self, voter_id: str, proposal_id: int, support: Support, conviction: int, reason: str
    ) -> CastVote:
        """One vote per account, weighted by the voting power at the snapshot. With
        conviction k > 0 the voter's own spendable AIA_GOV (up to that power) moves to a
        lock account until k periods after voting closes, and weighs 1 + 0.1 k."""
        proposal = self.get(proposal_id)
        existing = self.store.vote(proposal_id, voter_id)
        if existing is not None:
            return self._cast(self._replayed(existing, support, conviction), replayed=True)
        if not 0 <= conviction <= self.rules.conviction_max_periods:
            raise Invalid(
                f"conviction is 0 to {self.rules.conviction_max_periods} lock periods",
                field="conviction",
            )
        state = self.view(proposal).state
        if state is not ProposalState.ACTIVE:
            raise Conflict(f"voting is not open: the proposal is {state.value}")
        power = self.store.voting_power(voter_id, proposal.snapshot_at)
        if power <= 0:
            raise Forbidden(
                "no voting power at this proposal's snapshot: only AIA_GOV delegated "
                "(to yourself or to you) before voting opened counts",
                problem="no-voting-power",
            )
        locked = 0
        if conviction > 0:
            spendable = self.book.balance(voter_id, Token.AIA_GOV)
            locked = min(power, spendable)
            if locked <= 0:
                raise Conflict(
                    nothing_to_lock(power, self.conviction_locks(voter_id)),
                    field="conviction",
                    problem="nothing-to-lock",
                )
        vote = Vote(
            proposal_id=proposal_id,
            voter_id=voter_id,
            support=support,
            power=power,
            conviction=conviction,
            locked=locked,
            weight=self.rules.vote_weight(power, locked, conviction),
            reason=reason,
            cast_at=self.clock.now(),
            lock_state="pending" if locked else "none",
            release_at=self.rules.lock_release(proposal.deadline_at, conviction)
            if locked
            else None,
        )
        stored, created = self.store.add_vote(vote)
        if not created:  # a concurrent request of the same voter won
            return self._cast(self._replayed(stored, support, conviction), replayed=True)
        if stored.lock_state == "pending":
            try:
                stored = self._lock(stored)
            except BookRefused as exc:
                self.store.drop_pending_vote(proposal_id, voter_id)
                refused = Forbidden if exc.reason == "frozen" else Conflict
                raise refused(exc.detail, problem=exc.reason) from None
        return self._cast(stored, replayed=False)

    def _cast(self, vote: Vote, replayed: bool) -> CastVote:
        elsewhere: list[ConvictionLock] = []
        if vote.conviction > 0 and vote.locked < vote.power:
            elsewhere = [
                lock
                for lock in self.conviction_locks(vote.voter_id)
                if lock.proposal_id != vote.proposal_id
            ]
        return CastVote(vote, replayed, elsewhere)

    def _replayed(self, vote: Vote, support: Support, conviction: int) -> Vote:
        if vote.support is not support or vote.conviction != conviction:
            raise Conflict(
                f"this account voted {vote.support.value} already (one vote per account)",
                problem="already-voted",
            )
        if vote.lock_state == "pending":
            vote = self._lock(vote)
        return vote

    def _lock(self, vote: Vote) -> Vote:
        booked = self.book.hold(
            vote.voter_id,
            vote.lock_owner,
            Token.AIA_GOV,
            vote.locked,
            key=f"governance-lock:{vote.proposal_id}:{vote.voter_id}",
            kind="governance_lock",
            actor=f"user:{vote.voter_id}",
            memo=f"conviction lock, proposal {vote.proposal_id}",
        )
        self.store.set_lock_state(vote.proposal_id, vote.voter_id, "held", booked)
        return replace(vote, lock_state="held")

    def _unlock(self, vote: Vote) -> None:
        booked = self.book.release(
            vote.lock_owner,
            vote.voter_id,
            Token.AIA_GOV,
            vote.locked,
            key=f"governance-unlock:{vote.proposal_id}:{vote.voter_id}",
            kind="governance_unlock",
            actor="system:governance",
            memo=f"conviction lock released, proposal {vote.proposal_id}",
        )
        self.store.set_lock_state(vote.proposal_id, vote.voter_id, "released", booked)

    # -- explicit transitions -----------------------------------------------------------
    def cancel(self, actor_id: str, is_admin: bool, proposal_id: int) -> ProposalView:
        """By the proposer, an admin, or anyone once the proposer's voting power fell
        below the threshold (Governor Bravo). Any state but Executed."""
        view = self.view(self.get(proposal_id))
        proposal = view.proposal
        if view.state is ProposalState.CANCELED:
            return view
        if view.state is ProposalState.EXECUTED:
            raise Conflict("an executed proposal cannot be canceled")
        now = self.clock.now()
        allowed = (
            actor_id == proposal.proposer_id
            or is_admin
            or self.store.voting_power(proposal.proposer_id, now) < self.rules.proposal_threshold
        )
        if not allowed:
            raise Forbidden(
                "only the proposer or an admin can cancel this proposal", problem="forbidden"
            )
        canceled = self._announcing(
            "canceled",
            lambda facts: ProposalCanceled(**facts, canceled_by=actor_id),
            view.tally,
            view.quorum,
        )
        if self.store.cancel(proposal_id, now, actor_id, canceled):
            self._publish(canceled.events)
            log.info("proposal canceled", extra={"proposal_id": proposal_id})
        return self.view(self.get(proposal_id))

    def queue(self, proposal_id: int) -> ProposalView:
        view = self.view(self.get(proposal_id))
        if view.state is ProposalState.QUEUED:
            return view
        if view.state is not ProposalState.SUCCEEDED:
            raise Conflict(f"only a Succeeded proposal is queued; it is {view.state}")
        now = self.clock.now()
        self._announce(view.proposal, now)  # "succeeded" goes out before "queued"
        queued = self._announcing(
            "queued", lambda facts: ProposalQueued(**facts), view.tally, view.quorum
        )
        if self.store.queue(proposal_id, now, now + view.proposal.timelock, queued):
            self._publish(queued.events)
        return self.view(self.get(proposal_id))

    def execute(self, proposal_id: int) -> ProposalView:
        """After the timelock and before the grace period ends: publish the policy change
        (once, whatever the retries) with the proposal's new state."""
        view = self.view(self.get(proposal_id))
        if view.state is ProposalState.EXECUTED:
            return view
        if view.state is not ProposalState.QUEUED:
            raise Conflict(f"only a Queued proposal is executed; it is {view.state}")
        eta = view.proposal.eta
        assert eta is not None
        if self.clock.now() < eta:
            raise Conflict(f"the timelock runs until {eta.isoformat()}", problem="timelock")
        changes, actions = view.proposal.changes, view.proposal.actions
        executed = self._announcing(
            "executed",
            lambda facts: ProposalExecuted(**facts, changes=changes, actions=actions),
            view.tally,
            view.quorum,
        )
        if self.store.execute(proposal_id, self.clock.now(), executed):
            self._publish(executed.events)
            log.info("proposal executed", extra={"proposal_id": proposal_id})
        return self.view(self.get(proposal_id))

    # -- time-driven transitions (the scheduled job) --------------------------------------
    def advance(self, limit: int = 500) -> dict[str, int]:
        """Announce what the clock changed, once each: voting started, voting ends soon,
        succeeded or defeated, expired; and release conviction locks that are due."""
        now = self.clock.now()
        announced = 0
        for proposal in self.store.open_proposals()[:limit]:
            announced += self._announce(proposal, now)
        released = self._settle_locks(now)
        return {"announced": announced, "locks_settled": released}

    def _announce(self, proposal: Proposal, now: datetime) -> int:
        view = self.view(proposal)
        state = view.state
        due: list[str] = []
        if state is ProposalState.ACTIVE:
            due.append("voting_started")
            reminder = self.rules.reminder
            if reminder and now >= proposal.deadline_at - reminder:
                due.append("voting_ends_soon")
        if view.proposal.outcome == "succeeded" and state is not ProposalState.CANCELED:
            due.append("succeeded")
        if state is ProposalState.DEFEATED:
            due.append("defeated")
        if state is ProposalState.EXPIRED:
            due.append("expired")
        count = 0
        for milestone in due:
            announcement = self._announcing(
                milestone, MILESTONE_EVENTS[milestone], view.tally, view.quorum
            )
            if self.store.record_milestone(proposal.id, milestone, now, announcement):
                self._publish(announcement.events)
                count += 1
        if state in (
            ProposalState.DEFEATED,
            ProposalState.EXPIRED,
            ProposalState.CANCELED,
            ProposalState.EXECUTED,
        ):
            self.store.settle(proposal.id)
        return count

    def _settle_locks(self, now: datetime) -> int:
        settled = 0
        for vote in self.store.locks_to_settle(now, now - STALE_LOCK):
            try:
                if vote.lock_state == "pending":
                    try:
                        self._lock(vote)
                    except BookRefused:
                        # the tokens are gone: the vote stands, without conviction
                        weight = self.rules.vote_weight(vote.power, 0, 0)
                        self.store.unlock_vote(vote.proposal_id, vote.voter_id, weight)
                else:
                    self._unlock(vote)
                settled += 1
            except BookRefused as exc:  # e.g. the owner's wallet is frozen: next run
                log.warning(
                    "conviction lock not released",
                    extra={"proposal_id": vote.proposal_id, "reason": exc.reason},
                )
        return settled

    # -- events -------------------------------------------------------------------------
    def _announcing(
        self, name: str, build: BuildEvent, tally: Tally, quorum: int | None
    ) -> Announcement:
        return Announcement(partial(self._event_now, name, build, tally, quorum))

    def _event_now(
        self, name: str, build: BuildEvent, tally: Tally, quorum: int | None, current: Proposal
    ) -> Event:
        """The event for `current`, as the store's transaction has just changed it. No
        I/O here (SQLite would wait on our own write lock): the tally and quorum were
        read before the transaction."""
        if current.outcome is not None:
            outcome = current.outcome == "succeeded"
        else:
            outcome = quorum is not None and succeeded(tally, quorum, current.quorum_mode)
        state = state_at(current.timeline, self.clock.now(), outcome)
        return self._event(ProposalView(current, state, tally, quorum), name, build)

    def _event(self, view: ProposalView, name: str, build: BuildEvent) -> Event:
        proposal, tally = view.proposal, view.tally
        data = build(
            {
                "proposal_id": str(proposal.id),
                "title": proposal.title,
                "summary": proposal.description[:5000],
                "proposer_id": proposal.proposer_id,
                "state": view.state.value,
                "snapshot_at": proposal.snapshot_at,
                "voting_ends_at": proposal.deadline_at,
                "eta": proposal.eta,
                "votes_for": to_decimal(tally.for_weight),
                "votes_against": to_decimal(tally.against_weight),
                "votes_abstain": to_decimal(tally.abstain_weight),
                "quorum": None if view.quorum is None else to_decimal(view.quorum),
                "quorum_reached": view.quorum_reached,
                "proposal_url": self.proposal_url(proposal.id),
                "outcome_reason": view.outcome.reason[:500],
            }
        )
        return new_event(
            data,
            source="governance",
            event_id=str(uuid.uuid5(_EVENT_IDS, f"{proposal.id}:{name}")),
            time=self.clock.now(),
        )

    def proposal_url(self, proposal_id: int) -> str | None:
        if not self._app_base_url:
            return None
        return f"{self._app_base_url}/governance/proposals/{proposal_id}"
