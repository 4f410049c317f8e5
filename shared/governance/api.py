"""HTTP routes of governance: delegation, proposals, votes, and the lifecycle calls.

Proposals and votes are public to every signed-in user (as on-chain governance is), so
a user who may not cancel a proposal gets 403, not 404. Queue and execute are open to
anyone once the rules allow them (Governor Bravo): the timelock is the safeguard."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationInfo, field_validator

from shared.api.pagination import (
    NEXT_CURSOR_DESCRIPTION,
    LegacyOffsetPageQuery,
    PageQuery,
    deprecated,
    encode_cursor,
    offset_page,
)
from shared.api.params import INT32_MAX
from shared.api.problems import validation_failed
from shared.api.spec import AnyRequest, ApiError, ApiRequest, FieldError, Reply, route
from shared.errors import NotFound
from shared.governance.actions import MAX_ACTIONS, PolicyAction
from shared.governance.delegates import DEFAULT_MISSES, MISSES, resolve_delegate
from shared.governance.impact_api import (
    ImpactBrief,
    ImpactQuoteOut,
    impact_brief,
    impact_quote_of,
    impact_report,
)
from shared.governance.lock_notes import ConvictionLock
from shared.governance.outcome import ProposalOutcome
from shared.governance.records import Vote
from shared.governance.rules import GovernanceRules, ProposalState, Support
from shared.governance.service import CastVote, InvalidActions, ProposalView, VotingPower
from shared.money import to_decimal
from shared.ports.impact import ImpactReport

if TYPE_CHECKING:  # the root is above this layer: only its type is named here
    from shared.bootstrap.features import Features


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DelegateRequest(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"to": "6f1d2c3b-8a4e-4f5d-9c7b-0e1a2b3c4d5e"},
                {"to": "grace@example.com"},
                {"to": "@grace"},
            ]
        }
    )

    to: str | None = Field(
        min_length=1,
        max_length=320,
        description="Who receives your votes: their user id (your own to vote yourself), "
        "or their email address or public handle (`@grace`; the account must have "
        "verified its address, and an unknown name and a hidden one are both 404); null "
        "to delegate to nobody. Undelegated AIA_GOV has no votes.",
    )


class ConvictionLockOut(BaseModel):
    proposal_id: int = Field(description="The proposal whose conviction vote holds them")
    amount: str = Field(description="Your AIA_GOV held out of your wallet")
    release_at: datetime = Field(
        description="Back in your wallet at the first governance run from then (at once "
        "when the proposal is canceled)"
    )


class VotingPowerOut(BaseModel):
    user_id: str = Field(description="Whose voting power this is (yours)")
    delegate: str | None = Field(
        description="The user id your AIA_GOV votes through (your own when you vote "
        "yourself); null: delegated to nobody, so it has no votes"
    )
    votes: str = Field(description="AIA_GOV voting power delegated to you now")
    balance: str = Field(description="Your spendable AIA_GOV (what a conviction vote can lock)")
    locked: str = Field(
        description="Your AIA_GOV held by conviction votes: still your voting power, "
        "but not spendable nor lockable again until released"
    )
    locks: list[ConvictionLockOut] = Field(description="What is locked, and until when")


class ProposalRequest(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Lower income tax",
                    "description": "Cut every bracket by two to three points to lift consumption.",
                    "actions": [
                        {
                            "type": "tax_brackets",
                            "tax_brackets": [
                                {"threshold": 0.0, "rate": 0.1},
                                {"threshold": 0.5, "rate": 0.22},
                                {"threshold": 1.25, "rate": 0.33},
                                {"threshold": 3.0, "rate": 0.42},
                            ],
                        }
                    ],
                }
            ]
        }
    )

    title: str = Field(min_length=3, max_length=200, description="A one-line summary")
    description: str = Field(
        min_length=1, max_length=5000, description="What it changes and why, for voters"
    )
    actions: list[PolicyAction] = Field(
        min_length=1,
        max_length=MAX_ACTIONS,
        description="1 to 10 changes to the flagship economy's policy, applied together "
        "when the proposal is executed",
    )


class TallyOut(BaseModel):
    for_votes: str = Field(description="Conviction-weighted votes For")
    against_votes: str = Field(description="Conviction-weighted votes Against")
    abstain_votes: str = Field(description="Conviction-weighted votes Abstain")
    for_power: str = Field(description="Raw voting power For (counts towards quorum)")
    against_power: str = Field(description="Raw voting power Against (AIA_GOV, no conviction)")
    abstain_power: str = Field(
        description="Raw voting power Abstain (counts towards quorum in the oz mode)"
    )
    voters: int = Field(description="How many users voted")


class QuorumOut(BaseModel):
    needed: str | None = Field(
        description="AIA_GOV needed: `percent_of_circulating_supply` of all AIA_GOV held "
        "outside the treasury at the snapshot; null until the snapshot has passed"
    )
    cast: str = Field(description="Raw voting power (no conviction) of the votes it counts")
    counts: Literal["for", "for+abstain"] = Field(
        description="Which votes count towards quorum (AIA_GOVERNANCE_QUORUM_MODE)"
    )
    percent_of_circulating_supply: str = Field(
        description="The quorum share of the circulating AIA_GOV, in percent"
    )
    reached: bool | None = Field(
        description="Whether the counted votes reach `needed`; null before the snapshot"
    )


class OutcomeOut(BaseModel):
    result: Literal["pending", "voting", "passed", "failed", "canceled"] = Field(
        description="pending: voting not open yet; voting: open; passed: quorum reached "
        "and For outweighed Against; failed: not both"
    )
    quorum: QuorumOut = Field(
        description="What quorum needs, what counts towards it, and whether it is reached"
    )
    for_votes: str = Field(description="Conviction-weighted votes For")
    against_votes: str = Field(description="Conviction-weighted votes Against")
    abstain_votes: str = Field(description="Conviction-weighted votes Abstain")
    for_outweighs_against: bool = Field(
        description="For is more than Against (both conviction-weighted)"
    )
    reason: str = Field(
        description="One line for people, with the numbers",
        examples=[
            "Failed: quorum not reached (150 AIA_GOV cast of 300 AIA_GOV needed, 10 % of "
            "circulating AIA_GOV; For and Abstain count)."
        ],
    )


class VoteOut(BaseModel):
    proposal_id: int = Field(description="The proposal voted on")
    voter_id: str = Field(description="The user who voted")
    support: Support = Field(description="for, against or abstain")
    voting_power: str = Field(description="The voter's power at the proposal's snapshot")
    conviction: int = Field(description="Lock periods (0: unlocked, weighs 0.1)")
    locked: str = Field(description="Own AIA_GOV locked for conviction")
    weight: str = Field(
        description="The vote's weight in the tally, AIA_GOV: locked power times its "
        "conviction multiplier plus the rest times the unlocked weight, rounded down"
    )
    reason: str = Field(description="The voter's reason; empty if none was given")
    cast_at: datetime = Field(description="When the vote was cast (UTC)")
    lock_state: str = Field(
        description="none (nothing locked); pending (the lock is being booked); held "
        "(locked out of the wallet); released (back in the wallet)"
    )
    lock_release_at: datetime | None = Field(
        description="When the locked AIA_GOV is released; null when nothing is locked"
    )
    unlocked_power: str = Field(
        description="Voting power not backed by this vote's lock (weighs 0.1): delegated "
        "to you, or your AIA_GOV already locked by another conviction vote"
    )
    lock_note: str | None = Field(
        default=None,
        description="Set when a conviction vote could lock only part of its power: what "
        "was locked here, and which other locks held the rest until when",
    )
    locks_elsewhere: list[ConvictionLockOut] = Field(
        default_factory=list,
        description="On a conviction vote that locked less than its power: your other "
        "conviction locks then",
    )
    replayed: bool = Field(
        default=False,
        description="True when this voter had already voted: the first vote is answered, unchanged",
    )


class ProposalOut(BaseModel):
    id: int = Field(description="The proposal's number, counting up from 1")
    proposer_id: str = Field(description="The user who proposed it")
    title: str = Field(description="A one-line summary")
    description: str = Field(description="What it changes and why")
    actions: list[PolicyAction] = Field(description="The policy actions, as proposed")
    changes: dict[str, Any] = Field(description="The policy change execution publishes")
    state: ProposalState = Field(
        description="Pending, Active (voting), Canceled, Defeated, Succeeded, Queued "
        "(in the timelock), Expired or Executed"
    )
    created_at: datetime = Field(description="When it was proposed (UTC)")
    snapshot_at: datetime = Field(description="Voting power is read here; voting opens after")
    voting_ends_at: datetime = Field(description="When voting closes (UTC)")
    queued_at: datetime | None = Field(description="When it was queued; null until then")
    eta: datetime | None = Field(description="Executable from here (end of the timelock)")
    expires_at: datetime | None = Field(description="Queued and not executed by then: Expired")
    executed_at: datetime | None = Field(
        description="When its policy change was published; null until then"
    )
    canceled_at: datetime | None = Field(description="When it was canceled; null if not")
    canceled_by: str | None = Field(description="The user who canceled it; null if not")
    quorum: str | None = Field(
        description="AIA_GOV needed: the quorum share of the circulating supply at the "
        "snapshot (all AIA_GOV but the treasury's), known once the snapshot passed"
    )
    quorum_mode: str = Field(
        description="Fixed when proposed: oz (For + Abstain count towards quorum) or bravo "
        "(For only)"
    )
    quorum_reached: bool | None = Field(
        description="Whether the counted votes reach `quorum`; null before the snapshot"
    )
    tally: TallyOut = Field(description="The votes so far, weighted and raw")
    outcome: OutcomeOut = Field(description="Why it passed or failed, or how it stands")
    your_vote: VoteOut | None = Field(
        default=None, description="Your vote on it, on GET of one proposal; null otherwise"
    )
    your_locks: list[ConvictionLockOut] = Field(
        default_factory=list,
        description="On GET of one proposal: your AIA_GOV held by conviction votes now. "
        "A conviction vote here locks only what these leave in your wallet",
    )
    impact: ImpactBrief | None = Field(
        default=None,
        description="On create and GET of one proposal: its impact preview (the live "
        "economy run with and without the change), its status and price; null in lists",
    )


class ProposalList(BaseModel):
    proposals: list[ProposalOut] = Field(description="This page of proposals, newest first")
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)
    next_before: int | None = Field(
        description="Deprecated, use `next_cursor`: the `before` of the next page",
        json_schema_extra={"deprecated": True},
    )


# a proposal's id, which is where a page of proposals (newest first) ends
ProposalId = Annotated[int, Field(ge=1, le=INT32_MAX)]


class ProposalQuery(PageQuery):
    positions = TypeAdapter(tuple[ProposalId])

    state: ProposalState | None = Field(default=None, description="Only proposals in this state")
    limit: int = Field(default=20, ge=1, le=100, description="Proposals per page")
    before: ProposalId | None = deprecated("Proposals older than this id")

    @field_validator("before")
    @classmethod
    def _not_both(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and info.data.get("cursor") is not None:
            raise ValueError("give `cursor` or `before`, not both")
        return value

    def legacy_start(self) -> tuple[int] | None:
        return None if self.before is None else (self.before,)


class VoteRequest(_Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"support": "for", "conviction": 1, "reason": "Consumption has lagged for a year."}
            ]
        }
    )

    support: Support = Field(description="for, against or abstain")
    conviction: int = Field(
        default=0,
        ge=0,
        le=32,
        description="Lock your AIA_GOV for this many periods after voting closes "
        "(weight 1 + 0.1 k, capped at 3.0); 0 votes unlocked at 0.1",
    )
    reason: str = Field(
        default="", max_length=500, description="Why, shown to everyone with your vote"
    )


class VoteQuery(LegacyOffsetPageQuery):
    limit: int = Field(default=100, ge=1, le=500, description="Votes per page")


class VoteList(BaseModel):
    votes: list[VoteOut] = Field(description="This page of votes, heaviest first")
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


class Parameters(BaseModel):
    proposal_threshold: str = Field(
        description="AIA_GOV voting power a user needs to propose (and to keep a proposal "
        "from being canceled by anyone)"
    )
    voting_delay_seconds: int = Field(
        description="Seconds from proposing to the snapshot, after which voting opens"
    )
    voting_period_seconds: int = Field(description="Seconds voting stays open")
    quorum_percent: str = Field(
        description="Of the circulating AIA_GOV at a proposal's snapshot: every holder's "
        "(spendable, staked or conviction-locked), the treasury's excluded"
    )
    quorum_mode: str = Field(description="oz: For + Abstain count towards quorum; bravo: For")
    timelock_seconds: int = Field(
        description="Seconds a queued proposal waits before it can be executed"
    )
    grace_period_seconds: int = Field(
        description="Seconds after the timelock in which it must be executed, or it expires"
    )
    conviction_max_periods: int = Field(description="The most lock periods a vote may take")
    conviction_period_seconds: int = Field(description="Seconds in one lock period")
    conviction_multipliers: dict[str, str] = Field(
        description="Weight per locked AIA_GOV for each number of lock periods (`0`: the "
        "unlocked weight)"
    )


def _proposal_id(req: AnyRequest) -> int:
    return proposal_number(req.path_params["proposal_id"])


def proposal_number(raw: str) -> int:
    """The proposal a path segment names; NotFound for text no proposal id can be."""
    # ASCII digits only: str.isdigit() also passes "²", which int() refuses
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10 or int(raw) > INT32_MAX:
        raise NotFound("proposal", raw, detail=f"no proposal {raw}")
    return int(raw)


def _lock_out(lock: ConvictionLock) -> ConvictionLockOut:
    return ConvictionLockOut(
        proposal_id=lock.proposal_id, amount=to_decimal(lock.amount), release_at=lock.release_at
    )


def _cast_out(cast: CastVote) -> VoteOut:
    return _vote_out(cast.vote, cast.replayed).model_copy(
        update={
            "lock_note": cast.lock_note,
            "locks_elsewhere": [_lock_out(lock) for lock in cast.locks_elsewhere],
        }
    )


def _outcome_out(outcome: ProposalOutcome) -> OutcomeOut:
    quorum = outcome.quorum
    return OutcomeOut(
        result=outcome.result,
        quorum=QuorumOut(
            needed=None if quorum.needed is None else to_decimal(quorum.needed),
            cast=to_decimal(quorum.cast),
            counts=quorum.counts,
            percent_of_circulating_supply=quorum.percent,
            reached=quorum.reached,
        ),
        for_votes=to_decimal(outcome.for_votes),
        against_votes=to_decimal(outcome.against_votes),
        abstain_votes=to_decimal(outcome.abstain_votes),
        for_outweighs_against=outcome.for_outweighs_against,
        reason=outcome.reason,
    )


def _vote_out(vote: Vote, replayed: bool = False) -> VoteOut:
    return VoteOut(
        proposal_id=vote.proposal_id,
        voter_id=vote.voter_id,
        support=vote.support,
        voting_power=to_decimal(vote.power),
        conviction=vote.conviction,
        locked=to_decimal(vote.locked),
        weight=to_decimal(vote.weight),
        reason=vote.reason,
        cast_at=vote.cast_at,
        lock_state=vote.lock_state,
        lock_release_at=vote.release_at,
        unlocked_power=to_decimal(vote.power - vote.locked),
        replayed=replayed,
    )


def _proposal_out(
    view: ProposalView,
    your_vote: Vote | None = None,
    your_locks: list[ConvictionLock] | None = None,
) -> ProposalOut:
    p, t = view.proposal, view.tally
    return ProposalOut(
        id=p.id,
        proposer_id=p.proposer_id,
        title=p.title,
        description=p.description,
        actions=p.actions,
        changes=p.changes,
        state=view.state,
        created_at=p.created_at,
        snapshot_at=p.snapshot_at,
        voting_ends_at=p.deadline_at,
        queued_at=p.queued_at,
        eta=p.eta,
        expires_at=None if p.eta is None else p.eta + p.grace_period,
        executed_at=p.executed_at,
        canceled_at=p.canceled_at,
        canceled_by=p.canceled_by,
        quorum=None if view.quorum is None else to_decimal(view.quorum),
        quorum_mode=p.quorum_mode,
        quorum_reached=view.quorum_reached,
        tally=TallyOut(
            for_votes=to_decimal(t.for_weight),
            against_votes=to_decimal(t.against_weight),
            abstain_votes=to_decimal(t.abstain_weight),
            for_power=to_decimal(t.for_power),
            against_power=to_decimal(t.against_power),
            abstain_power=to_decimal(t.abstain_power),
            voters=t.voters,
        ),
        outcome=_outcome_out(view.outcome),
        your_vote=None if your_vote is None else _vote_out(your_vote),
        your_locks=[_lock_out(lock) for lock in your_locks or []],
    )


# -- handlers ---------------------------------------------------------------------------
def delegate(req: ApiRequest[DelegateRequest]) -> VotingPowerOut:
    body = req.body
    user = req.require_principal().user_id
    to = None if body.to is None else delegate_named(req.features, user, body.to)
    return _power_out(req.features.governance.delegate(user, to))


def delegate_named(features: Features, user_id: str, reference: str) -> str:
    """The user id a delegation names (by id, address or handle): 404 for no one."""
    budget = features.platform.settings.rate_limits.get(MISSES, DEFAULT_MISSES)
    return resolve_delegate(
        user_id,
        reference,
        directory=features.directory,
        lookup=features.recipients,
        limiter=features.rate_limiter,
        budget=budget,
    )


def voting_power(req: ApiRequest) -> VotingPowerOut:
    return _power_out(req.features.governance.voting_power(req.require_principal().user_id))


def _power_out(power: VotingPower) -> VotingPowerOut:
    return VotingPowerOut(
        user_id=power.user_id,
        delegate=power.delegate,
        votes=to_decimal(power.votes),
        balance=to_decimal(power.balance),
        locked=to_decimal(power.locked),
        locks=[_lock_out(lock) for lock in power.locks],
    )


def create_proposal(req: ApiRequest[ProposalRequest]) -> Reply:
    body = req.body
    user = req.require_principal().user_id
    key = req.headers.get("idempotency-key", "").strip() or None
    if key is not None and len(key) > 200:
        raise ApiError(
            400,
            "Idempotency-Key is too long",
            errors=[FieldError("Idempotency-Key", "at most 200 characters", "header")],
        )
    try:
        view, replayed = req.features.governance.propose(
            user, body.title, body.description, body.actions, key
        )
    except InvalidActions as exc:
        errors = [FieldError(p.field, p.message, "body", p.code) for p in exc.problems]
        raise validation_failed(errors, what="actions") from None
    out = _proposal_out(view).model_copy(
        update={"impact": impact_brief(req.features, view.proposal.id)}
    )
    return Reply(out, status=200 if replayed else 201)


def get_impact(req: ApiRequest) -> ImpactReport:
    proposal = req.features.governance.get(_proposal_id(req))  # 404 for an unknown one
    return impact_report(req.features, proposal.id)


def impact_quote(req: ApiRequest) -> ImpactQuoteOut:
    return impact_quote_of(req.features)


def list_proposals(req: ApiRequest[None, ProposalQuery]) -> ProposalList:
    query = req.query
    service = req.features.governance
    found: list[ProposalView] = []
    start = query.start()
    before = None if start is None else start[0]
    scanned_to: int | None = None
    exhausted = False
    while len(found) < query.limit:
        page = service.store.proposals(200 if query.state else query.limit, before)
        if not page:
            exhausted = True
            break
        for view in service.views(page):
            scanned_to = view.proposal.id
            if query.state is None or view.state is query.state:
                found.append(view)
                if len(found) == query.limit:
                    break
        before = page[-1].id
    more = not exhausted and len(found) == query.limit and scanned_to is not None
    return ProposalList(
        proposals=[_proposal_out(v) for v in found],
        next_cursor=encode_cursor((scanned_to,)) if more else None,
        next_before=scanned_to if more else None,
    )


def get_proposal(req: ApiRequest) -> ProposalOut:
    user = req.require_principal().user_id
    service = req.features.governance
    view = service.view(service.get(_proposal_id(req)))
    your_vote = service.store.vote(view.proposal.id, user)
    out = _proposal_out(view, your_vote, service.conviction_locks(user))
    return out.model_copy(update={"impact": impact_brief(req.features, view.proposal.id)})


def list_votes(req: ApiRequest[None, VoteQuery]) -> VoteList:
    query = req.query
    service = req.features.governance
    proposal_id = _proposal_id(req)
    service.get(proposal_id)  # 404 for an unknown proposal
    skip = query.skip()
    votes, next_cursor = offset_page(
        service.store.votes(proposal_id, query.limit + 1, skip), query, skip
    )
    return VoteList(votes=[_vote_out(v) for v in votes], next_cursor=next_cursor)


def cast_vote(req: ApiRequest[VoteRequest]) -> Reply:
    body = req.body
    user = req.require_principal().user_id
    cast = req.features.governance.cast_vote(
        user, _proposal_id(req), body.support, body.conviction, body.reason
    )
    return Reply(_cast_out(cast), status=200 if cast.replayed else 201)


def cancel_proposal(req: ApiRequest) -> ProposalOut:
    principal = req.require_principal()
    view = req.features.governance.cancel(principal.user_id, principal.is_admin, _proposal_id(req))
    return _proposal_out(view)


def queue_proposal(req: ApiRequest) -> ProposalOut:
    req.require_principal()
    return _proposal_out(req.features.governance.queue(_proposal_id(req)))


def execute_proposal(req: ApiRequest) -> ProposalOut:
    req.require_principal()
    return _proposal_out(req.features.governance.execute(_proposal_id(req)))


def parameters(req: ApiRequest) -> Parameters:
    return parameters_of(req.features.governance.rules)


def parameters_of(rules: GovernanceRules) -> Parameters:
    """The governance rules in force as `GET /v1/governance/parameters` gives them (and
    the /governance page shows them)."""
    return Parameters(
        proposal_threshold=to_decimal(rules.proposal_threshold),
        voting_delay_seconds=int(rules.voting_delay.total_seconds()),
        voting_period_seconds=int(rules.voting_period.total_seconds()),
        quorum_percent=f"{rules.quorum_bps / 100:g}",
        quorum_mode=rules.quorum_mode,
        timelock_seconds=int(rules.timelock.total_seconds()),
        grace_period_seconds=int(rules.grace_period.total_seconds()),
        conviction_max_periods=rules.conviction_max_periods,
        conviction_period_seconds=int(rules.conviction_period.total_seconds()),
        conviction_multipliers={
            str(k): f"{rules.multiplier_bps(k) / 10_000:g}"
            for k in range(rules.conviction_max_periods + 1)
        },
    )


_P = "/v1/governance/proposals/{proposal_id}"
ROUTES = [
    route(
        "GET",
        "/v1/governance/parameters",
        parameters,
        "The governance rules in force",
        "governance",
        response=Parameters,
        auth="user",
    ),
    route(
        "POST",
        "/v1/governance/delegate",
        delegate,
        "Delegate your AIA_GOV votes (to yourself to vote)",
        "governance",
        body=DelegateRequest,
        response=VotingPowerOut,
        auth="user",
        errors=(404,),
        description="Delegation is checkpointed: a proposal counts the delegations in force "
        "at its snapshot. Undelegated AIA_GOV has no votes. Name the delegate by user id, "
        "email address or public handle; names that match no one are limited per user (10 "
        "an hour, then 429 with Retry-After).",
    ),
    route(
        "GET",
        "/v1/governance/voting-power",
        voting_power,
        "Your delegate and the votes delegated to you",
        "governance",
        response=VotingPowerOut,
        auth="user",
    ),
    route(
        "POST",
        "/v1/governance/proposals",
        create_proposal,
        "Propose a change to the flagship economy's policy",
        "governance",
        body=ProposalRequest,
        response=ProposalOut,
        status=201,
        auth="user",
        errors=(402, 403, 409, 429),
        description="Needs the proposal threshold of voting power; one live (Pending or "
        "Active) proposal per proposer. A proposal that changes the live economy's "
        "policy orders its impact preview, paid by the proposer at the simulation's "
        "price (`GET /v1/governance/impact-quote`) and counted against their simulation "
        "limits: without the balance, a 402 and no proposal; over a limit, a 429. It "
        "passes when the votes counted towards quorum "
        "reach the quorum share of the circulating AIA_GOV at its snapshot (the "
        "treasury's excluded) and For outweighs Against. Actions the simulation would "
        "refuse are a 400 naming the field. An optional Idempotency-Key header makes a "
        "retry return the first proposal.",
        replays=True,
        idempotency_key="optional",
    ),
    route(
        "GET",
        "/v1/governance/proposals",
        list_proposals,
        "Proposals, newest first, with state, tallies and outcome",
        "governance",
        query=ProposalQuery,
        response=ProposalList,
        auth="user",
    ),
    route(
        "GET",
        _P,
        get_proposal,
        "One proposal with state, tallies, quorum, outcome, your vote and your locks",
        "governance",
        response=ProposalOut,
        auth="user",
        errors=(404,),
        description="`outcome` says why it passed or failed: quorum (AIA_GOV cast against "
        "AIA_GOV needed, a share of the circulating supply at the snapshot, the "
        "treasury's excluded) and For against Against (conviction-weighted), with a "
        "one-line `reason`.",
    ),
    route(
        "GET",
        _P + "/impact",
        get_impact,
        "What the model expects the proposal to do: its impact preview",
        "governance",
        response=ImpactReport,
        auth="user",
        errors=(404,),
        description="The live economy run forward ten years from its state when the "
        "proposal was made, with and without its policy change, over several seeds (the "
        "same random draws in both runs). While it runs: `status` queued or running with "
        "`progress`; when ready: `figures`, per measure (unemployment, inflation, real "
        "GDP, income and wealth Gini, public debt, AIA supply) and horizon (1, 5, 10 "
        "years), the difference changed minus unchanged per seed, its mean, range and 95 "
        "% t-interval. `failed` runs publish no figures and are refunded when the "
        "platform failed; `not_applicable` when the proposal leaves the live policy as "
        "it is or the live economy had not started.",
    ),
    route(
        "GET",
        "/v1/governance/impact-quote",
        impact_quote,
        "What a proposal's impact preview costs now",
        "governance",
        response=ImpactQuoteOut,
        auth="user",
        description="A proposal that changes the live policy is previewed at the "
        "simulation's price for its work, paid by the proposer when proposing (402 "
        "without the balance, and no proposal), within their simulation limits (429).",
    ),
    route(
        "GET",
        _P + "/votes",
        list_votes,
        "The votes cast on a proposal",
        "governance",
        query=VoteQuery,
        response=VoteList,
        auth="user",
        errors=(404,),
    ),
    route(
        "POST",
        _P + "/votes",
        cast_vote,
        "Vote For, Against or Abstain",
        "governance",
        body=VoteRequest,
        response=VoteOut,
        status=201,
        auth="user",
        errors=(403, 404, 409),
        description="Weighted by your voting power at the snapshot. One vote per account; "
        "the same vote again returns the first. Conviction k locks your own spendable "
        "AIA_GOV (up to that power) until k periods after voting closes. Tokens another "
        "conviction vote holds cannot be locked twice: a vote that can lock only part of "
        "its power says so in `lock_note`, and one that can lock nothing is a 409 "
        "(`nothing-to-lock`) naming each lock and its release time.",
        replays=True,
    ),
    route(
        "POST",
        _P + "/cancel",
        cancel_proposal,
        "Cancel a proposal (proposer or admin)",
        "governance",
        response=ProposalOut,
        auth="user",
        errors=(403, 404, 409),
        description="Any state but Executed. Anyone may cancel once the proposer's voting "
        "power fell below the threshold (Governor Bravo).",
    ),
    route(
        "POST",
        _P + "/queue",
        queue_proposal,
        "Queue a Succeeded proposal behind the timelock",
        "governance",
        response=ProposalOut,
        auth="user",
        errors=(404, 409),
    ),
    route(
        "POST",
        _P + "/execute",
        execute_proposal,
        "Execute a Queued proposal after its timelock",
        "governance",
        response=ProposalOut,
        auth="user",
        errors=(404, 409),
        description="Publishes the policy change once; the live simulation applies it "
        "between ticks. Expired after the grace period.",
    ),
]
