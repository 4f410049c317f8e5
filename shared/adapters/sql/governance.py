"""Governance in SQL. State changes are conditional updates (a retried or concurrent
queue, execute or cancel changes a proposal once) that stage their events in the same
transaction (the outbox). Voting power at a past instant is read from the delegation
checkpoints and the ledger's journal, whose every line carries the balance after it."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import TypeAdapter
from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from shared.adapters.sql.database import insert_or_ignore
from shared.adapters.sql.ledger import SqlLedgerStore
from shared.adapters.sql.outbox import stage
from shared.adapters.sql.schema import (
    governance_delegations,
    governance_milestones,
    governance_proposals,
    governance_votes,
    ledger_accounts,
    ledger_lines,
)
from shared.governance.actions import PolicyAction
from shared.governance.records import (
    EventsFor,
    LiveProposalExists,
    LockState,
    Outcome,
    Proposal,
    ProposalDraft,
    Vote,
)
from shared.governance.rules import Support, Tally
from shared.ledger.postings import LedgerRejected, user_owner
from shared.ledger.pricing import refused_charge
from shared.money import Token
from shared.ports.impact import ImpactOrder

P = governance_proposals
V = governance_votes
D = governance_delegations
M = governance_milestones
T = TypeVar("T")
_CHUNK = 500


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class SqlGovernanceStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- proposals ----------------------------------------------------------------------
    def add_proposal(
        self, draft: ProposalDraft, events: EventsFor, impact: ImpactOrder | None = None
    ) -> tuple[Proposal, bool]:
        try:
            return self._add_proposal(draft, events, impact)
        except LedgerRejected as exc:
            # rolled back: say why with the balance, read outside the transaction (whose
            # write lock the embedded database would otherwise wait on)
            assert impact is not None
            amount = impact.quote.amount
            held = SqlLedgerStore(self.engine).balance(user_owner(draft.proposer_id), Token.AIA)
            raise refused_charge("impact_preview", amount, held, exc) from None

    def _add_proposal(
        self, draft: ProposalDraft, events: EventsFor, impact: ImpactOrder | None
    ) -> tuple[Proposal, bool]:
        try:
            with self.engine.begin() as conn:
                if draft.idempotency_key is not None:
                    first = self._by_key(conn, draft.proposer_id, draft.idempotency_key)
                    if first is not None:
                        return first, True
                live = conn.execute(
                    select(P.c.id)
                    .where(
                        and_(
                            P.c.proposer_id == draft.proposer_id,
                            P.c.canceled_at.is_(None),
                            P.c.deadline_at >= draft.created_at,
                        )
                    )
                    .limit(1)
                ).scalar()
                if live is not None:
                    raise LiveProposalExists(int(live))
                new_id = conn.execute(
                    insert(P)
                    .values(
                        proposer_id=draft.proposer_id,
                        idempotency_key=draft.idempotency_key,
                        title=draft.title,
                        description=draft.description,
                        actions=json.dumps([a.model_dump(mode="json") for a in draft.actions]),
                        changes=json.dumps(draft.changes),
                        created_at=draft.created_at,
                        snapshot_at=draft.snapshot_at,
                        deadline_at=draft.deadline_at,
                        quorum_bps=draft.quorum_bps,
                        quorum_mode=draft.quorum_mode,
                        timelock_seconds=int(draft.timelock.total_seconds()),
                        grace_seconds=int(draft.grace_period.total_seconds()),
                        settled=False,
                    )
                    .returning(P.c.id)
                ).scalar_one()
                proposal = self._get(conn, int(new_id))
                assert proposal is not None
                opened = [] if impact is None else impact.open(proposal.id, draft.title, conn)
                stage(conn, [*events(proposal), *opened])
                return proposal, False
        except IntegrityError:
            # the same idempotency key committed concurrently: answer with that proposal
            if draft.idempotency_key is None:
                raise
            with self.engine.connect() as conn:
                first = self._by_key(conn, draft.proposer_id, draft.idempotency_key)
            if first is None:
                raise
            return first, True

    def _by_key(self, conn: Connection, proposer_id: str, key: str) -> Proposal | None:
        row = conn.execute(
            select(P).where(and_(P.c.proposer_id == proposer_id, P.c.idempotency_key == key))
        ).first()
        return _proposal(row) if row is not None else None

    def _get(self, conn: Connection, proposal_id: int) -> Proposal | None:
        row = conn.execute(select(P).where(P.c.id == proposal_id)).first()
        return _proposal(row) if row is not None else None

    def proposal(self, proposal_id: int) -> Proposal | None:
        with self.engine.connect() as conn:
            return self._get(conn, proposal_id)

    def proposals(self, limit: int, before_id: int | None) -> list[Proposal]:
        query = select(P).order_by(P.c.id.desc()).limit(limit)
        if before_id is not None:
            query = query.where(P.c.id < before_id)
        with self.engine.connect() as conn:
            return [_proposal(r) for r in conn.execute(query).all()]

    def open_proposals(self) -> list[Proposal]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(P).where(P.c.settled.is_(False)).order_by(P.c.id)).all()
        return [_proposal(r) for r in rows]

    def tallies(self, proposal_ids: Sequence[int]) -> dict[int, Tally]:
        sums: dict[int, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(list(proposal_ids)):
                rows = conn.execute(
                    select(
                        V.c.proposal_id,
                        V.c.support,
                        func.coalesce(func.sum(V.c.weight), 0),
                        func.coalesce(func.sum(V.c.power), 0),
                        func.count(),
                    )
                    .where(V.c.proposal_id.in_(chunk))
                    .group_by(V.c.proposal_id, V.c.support)
                ).all()
                for proposal_id, support, weight, power, count in rows:
                    entry = sums.setdefault(int(proposal_id), {"voters": 0})
                    entry[f"{support}_weight"] = int(weight)
                    entry[f"{support}_power"] = int(power)
                    entry["voters"] += int(count)
        return {pid: Tally(**values) for pid, values in sums.items()}

    def finalize(self, proposal_id: int, outcome: Outcome, quorum: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(P)
                .where(and_(P.c.id == proposal_id, P.c.outcome.is_(None)))
                .values(outcome=outcome, quorum=quorum)
            )

    def _transition(
        self, proposal_id: int, condition: Any, values: dict[str, Any], events: EventsFor
    ) -> bool:
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(P).where(and_(P.c.id == proposal_id, condition)).values(**values)
            ).rowcount
            if changed != 1:
                return False
            current = self._get(conn, proposal_id)
            assert current is not None
            stage(conn, events(current))
            return True

    def queue(self, proposal_id: int, at: datetime, eta: datetime, events: EventsFor) -> bool:
        condition = and_(
            P.c.queued_at.is_(None), P.c.canceled_at.is_(None), P.c.executed_at.is_(None)
        )
        return self._transition(proposal_id, condition, {"queued_at": at, "eta": eta}, events)

    def execute(self, proposal_id: int, at: datetime, events: EventsFor) -> bool:
        condition = and_(P.c.executed_at.is_(None), P.c.canceled_at.is_(None), P.c.eta.is_not(None))
        return self._transition(proposal_id, condition, {"executed_at": at}, events)

    def cancel(self, proposal_id: int, at: datetime, by: str, events: EventsFor) -> bool:
        condition = and_(P.c.canceled_at.is_(None), P.c.executed_at.is_(None))
        values = {"canceled_at": at, "canceled_by": by}
        return self._transition(proposal_id, condition, values, events)

    def settle(self, proposal_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(P).where(P.c.id == proposal_id).values(settled=True))

    def record_milestone(
        self, proposal_id: int, milestone: str, at: datetime, events: EventsFor
    ) -> bool:
        with self.engine.begin() as conn:
            claimed = conn.execute(
                insert_or_ignore(self.engine, M)
                .values(proposal_id=proposal_id, milestone=milestone, at=at)
                .on_conflict_do_nothing(index_elements=["proposal_id", "milestone"])
                .returning(M.c.milestone)
            ).scalar()
            if claimed is None:
                return False
            current = self._get(conn, proposal_id)
            assert current is not None
            stage(conn, events(current))
            return True

    # -- votes --------------------------------------------------------------------------
    def add_vote(self, vote: Vote) -> tuple[Vote, bool]:
        with self.engine.begin() as conn:
            claimed = conn.execute(
                insert_or_ignore(self.engine, V)
                .values(
                    proposal_id=vote.proposal_id,
                    voter_id=vote.voter_id,
                    support=vote.support.value,
                    power=vote.power,
                    conviction=vote.conviction,
                    locked=vote.locked,
                    weight=vote.weight,
                    reason=vote.reason[:500],
                    cast_at=vote.cast_at,
                    lock_owner=vote.lock_owner if vote.locked else None,
                    lock_state=vote.lock_state,
                    release_at=vote.release_at,
                )
                .on_conflict_do_nothing(index_elements=["proposal_id", "voter_id"])
                .returning(V.c.voter_id)
            ).scalar()
            stored = self._vote(conn, vote.proposal_id, vote.voter_id)
        assert stored is not None
        return stored, claimed is not None

    def _vote(self, conn: Connection, proposal_id: int, voter_id: str) -> Vote | None:
        row = conn.execute(
            select(V).where(and_(V.c.proposal_id == proposal_id, V.c.voter_id == voter_id))
        ).first()
        return _vote(row) if row is not None else None

    def vote(self, proposal_id: int, voter_id: str) -> Vote | None:
        with self.engine.connect() as conn:
            return self._vote(conn, proposal_id, voter_id)

    def votes(self, proposal_id: int, limit: int, offset: int) -> list[Vote]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(V)
                .where(V.c.proposal_id == proposal_id)
                .order_by(V.c.weight.desc(), V.c.voter_id)
                .limit(limit)
                .offset(offset)
            ).all()
        return [_vote(r) for r in rows]

    def locks_of(self, voter_id: str) -> list[Vote]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(V)
                .where(and_(V.c.voter_id == voter_id, V.c.lock_state.in_(("pending", "held"))))
                .order_by(V.c.release_at, V.c.proposal_id)
            ).all()
        return [_vote(r) for r in rows]

    def set_lock_state(
        self, proposal_id: int, voter_id: str, state: LockState, at: datetime | None = None
    ) -> None:
        values: dict[str, Any] = {"lock_state": state}
        if state == "held":
            values["locked_at"] = at
        elif state == "released":
            values["released_at"] = at
        with self.engine.begin() as conn:
            conn.execute(
                update(V)
                .where(and_(V.c.proposal_id == proposal_id, V.c.voter_id == voter_id))
                .values(**values)
            )

    def drop_pending_vote(self, proposal_id: int, voter_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                delete(V).where(
                    and_(
                        V.c.proposal_id == proposal_id,
                        V.c.voter_id == voter_id,
                        V.c.lock_state == "pending",
                    )
                )
            )

    def unlock_vote(self, proposal_id: int, voter_id: str, weight: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(V)
                .where(
                    and_(
                        V.c.proposal_id == proposal_id,
                        V.c.voter_id == voter_id,
                        V.c.lock_state == "pending",
                    )
                )
                .values(
                    lock_state="none",
                    locked=0,
                    conviction=0,
                    weight=weight,
                    lock_owner=None,
                    release_at=None,
                )
            )

    def locks_to_settle(self, now: datetime, stale_before: datetime) -> list[Vote]:
        due = or_(
            and_(
                V.c.lock_state == "held",
                or_(V.c.release_at <= now, P.c.canceled_at.is_not(None)),
            ),
            and_(V.c.lock_state == "pending", V.c.cast_at < stale_before),
        )
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(V).join(P, P.c.id == V.c.proposal_id).where(due).limit(1000)
            ).all()
        return [_vote(r) for r in rows]

    # -- delegation and voting power ----------------------------------------------------
    def delegate(self, delegator: str, delegatee: str | None, at: datetime) -> bool:
        with self.engine.begin() as conn:
            current = conn.execute(
                select(D.c.delegatee_id)
                .where(D.c.delegator_id == delegator)
                .order_by(D.c.at.desc(), D.c.id.desc())
                .limit(1)
            ).first()
            if (current is None and delegatee is None) or (
                current is not None and current.delegatee_id == delegatee
            ):
                return False
            conn.execute(insert(D).values(delegator_id=delegator, delegatee_id=delegatee, at=at))
            return True

    def delegate_of(self, user_id: str, at: datetime) -> str | None:
        with self.engine.connect() as conn:
            value = conn.execute(
                select(D.c.delegatee_id)
                .where(and_(D.c.delegator_id == user_id, D.c.at <= at))
                .order_by(D.c.at.desc(), D.c.id.desc())
                .limit(1)
            ).scalar()
        return None if value is None else str(value)

    def voting_power(self, user_id: str, at: datetime) -> int:
        with self.engine.connect() as conn:
            delegators = self._delegators(conn, user_id, at)
            if not delegators:
                return 0
            owners = [user_owner(d) for d in delegators]
            for chunk in _chunks(delegators):
                owners += [
                    str(o)
                    for o in conn.execute(
                        select(V.c.lock_owner).where(
                            and_(V.c.voter_id.in_(chunk), V.c.lock_owner.is_not(None))
                        )
                    ).scalars()
                ]
            return self._holdings_at(conn, [f"{o}:{Token.AIA_GOV.value}" for o in owners], at)

    def _delegators(self, conn: Connection, user_id: str, at: datetime) -> list[str]:
        """Who, as of `at`, had most recently delegated to `user_id`."""
        candidates = select(D.c.delegator_id).where(D.c.delegatee_id == user_id).distinct()
        latest = (
            select(
                D.c.delegator_id,
                D.c.delegatee_id,
                func.row_number()
                .over(partition_by=D.c.delegator_id, order_by=(D.c.at.desc(), D.c.id.desc()))
                .label("rank"),
            )
            .where(and_(D.c.at <= at, D.c.delegator_id.in_(candidates)))
            .subquery()
        )
        rows = conn.execute(
            select(latest.c.delegator_id).where(
                and_(latest.c.rank == 1, latest.c.delegatee_id == user_id)
            )
        ).scalars()
        return sorted(str(r) for r in rows)

    def _holdings_at(self, conn: Connection, account_ids: list[str], at: datetime) -> int:
        """Sum of each account's balance after its last journal line at or before `at`."""
        last_line = (
            select(ledger_lines.c.balance_after)
            .where(
                and_(
                    ledger_lines.c.account_id == ledger_accounts.c.id,
                    ledger_lines.c.created_at <= at,
                )
            )
            .order_by(ledger_lines.c.created_at.desc(), ledger_lines.c.id.desc())
            .limit(1)
            .correlate(ledger_accounts)
            .scalar_subquery()
        )
        total = 0
        for chunk in _chunks(account_ids):
            for value in conn.execute(
                select(last_line)
                .select_from(ledger_accounts)
                .where(ledger_accounts.c.id.in_(chunk))
            ).scalars():
                total += int(value or 0)
        return total


_ACTIONS: TypeAdapter[list[PolicyAction]] = TypeAdapter(list[PolicyAction])


def _loads(text: str) -> Any:
    return json.loads(text)


def _proposal(row: Row[Any]) -> Proposal:
    return Proposal(
        id=int(row.id),
        proposer_id=row.proposer_id,
        title=row.title,
        description=row.description,
        actions=_ACTIONS.validate_json(row.actions),
        changes=_loads(row.changes),
        created_at=row.created_at,
        snapshot_at=row.snapshot_at,
        deadline_at=row.deadline_at,
        quorum_bps=int(row.quorum_bps),
        quorum_mode="bravo" if row.quorum_mode == "bravo" else "oz",
        timelock=timedelta(seconds=int(row.timelock_seconds)),
        grace_period=timedelta(seconds=int(row.grace_seconds)),
        outcome=None if row.outcome is None else _outcome(row.outcome),
        quorum=None if row.quorum is None else int(row.quorum),
        queued_at=row.queued_at,
        eta=row.eta,
        executed_at=row.executed_at,
        canceled_at=row.canceled_at,
        canceled_by=row.canceled_by,
        settled=bool(row.settled),
    )


def _outcome(value: str) -> Outcome:
    return "succeeded" if value == "succeeded" else "defeated"


_LOCK_STATES: dict[str, LockState] = {
    "none": "none",
    "pending": "pending",
    "held": "held",
    "released": "released",
}


def _vote(row: Row[Any]) -> Vote:
    return Vote(
        proposal_id=int(row.proposal_id),
        voter_id=row.voter_id,
        support=Support(row.support),
        power=int(row.power),
        conviction=int(row.conviction),
        locked=int(row.locked),
        weight=int(row.weight),
        reason=row.reason,
        cast_at=row.cast_at,
        lock_state=_LOCK_STATES[row.lock_state],
        release_at=row.release_at,
        released_at=row.released_at,
    )
