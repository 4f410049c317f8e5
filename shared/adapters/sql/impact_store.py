"""Impact previews in SQL (tables `impact_previews`, `impact_preview_runs`).

A preview is ordered inside its proposal's transaction (`SqlImpactOrder.open`, called by
the governance store): the proposer's simulation limits are checked under their
`simulation_quotas` row lock (as a simulation's admission), the charge is posted to the
ledger, the live economy's state and parameters are copied as they are at that instant,
and the runs' first ticks are returned for the caller to stage. Runs advance under a
check-and-set on their tick; completion and failure are conditional updates of the
preview's status, so each happens once whatever the redeliveries."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.engine import Row

from shared.adapters.sql.ledger import SqlLedgerStore
from shared.adapters.sql.outbox import stage
from shared.adapters.sql.schema import impact_preview_runs, impact_previews, simulation_states
from shared.adapters.sql.simulation_store import lock_owner, usage_of
from shared.events.envelope import Event, new_event
from shared.ledger.pricing import charge_posting_for, refund_posting_for
from shared.ports.impact import ImpactFigure, ImpactQuote
from shared.simulation.checkpoints import checkpoint_interval
from shared.simulation.events import ImpactRunTickRequested
from shared.simulation.impact_preview import (
    BRANCHES,
    ITEM,
    Branch,
    Completion,
    PreviewPlan,
    PreviewRecord,
    RunRecord,
)
from shared.simulation.params import stored_params
from shared.simulation.store import LIVE_ID

P = impact_previews.c
R = impact_preview_runs.c
_OPEN = ("queued", "running")


class SqlImpactOrder:
    def __init__(self, engine: Engine, plan: PreviewPlan) -> None:
        self.engine = engine
        self.plan = plan
        self.quote: ImpactQuote = plan.quote
        self.events: list[Event] = []

    def open(self, proposal_id: int, title: str, transaction: Any) -> list[Event]:
        self.events = self._open(proposal_id, title, transaction)
        return self.events

    def _open(self, proposal_id: int, title: str, transaction: Any) -> list[Event]:
        conn: Connection = transaction
        plan, quote, now = self.plan, self.plan.quote, self.plan.created_at
        row: dict[str, Any] = {
            "proposal_id": proposal_id,
            "owner_id": plan.proposer_id,
            "title": title[:200],
            "changes": json.dumps(plan.changes, sort_keys=True),
            "seeds": json.dumps(list(plan.seeds)),
            "months": quote.months,
            "households": quote.households,
            "refunded": False,
            "created_at": now,
        }
        live = (
            None
            if not quote.applicable
            else conn.execute(
                select(simulation_states.c.params, simulation_states.c.tick)
                .where(simulation_states.c.simulation_id == LIVE_ID)
                .where(simulation_states.c.state.is_not(None))
            ).first()
        )
        if live is None or plan.admission is None:
            reason = quote.reason if not quote.applicable else "the live economy has no state yet"
            conn.execute(
                insert(impact_previews).values(
                    **row,
                    status="not_applicable",
                    reason=reason,
                    household_months=0,
                    charged_minor=0,
                )
            )
            return []
        lock_owner(conn, self.engine, plan.proposer_id, now)
        admission = plan.admission
        plan.admission.check(
            usage_of(conn, plan.proposer_id, admission.day_start, admission.running_since)
        )
        tick = int(live.tick)
        # the state is copied in SQL, not through Python: one statement, as it is now
        state_now = (
            select(simulation_states.c.state)
            .where(simulation_states.c.simulation_id == LIVE_ID)
            .scalar_subquery()
        )
        conn.execute(
            insert(impact_previews).values(
                **row,
                status="queued",
                reason=None,
                params=live.params,
                from_tick=tick,
                household_months=quote.household_months,
                charged_minor=quote.amount,
                start_state=state_now,
            )
        )
        conn.execute(
            insert(impact_preview_runs),
            [
                {
                    "proposal_id": proposal_id,
                    "seed": seed,
                    "branch": branch,
                    "tick": tick,
                    "state": None,
                    "series": "{}",
                    "last_event_id": None,
                    "updated_at": now,
                }
                for seed in plan.seeds
                for branch in BRANCHES
            ],
        )
        posting = charge_posting_for(plan.proposer_id, ITEM, str(proposal_id), quote.amount)
        if posting is not None:
            SqlLedgerStore(self.engine).post_within(conn, posting, now)  # may refuse
        ticks = checkpoint_interval(stored_params(live.params), quote.months)
        return [
            new_event(
                ImpactRunTickRequested(
                    proposal_id=proposal_id, seed=seed, branch=branch, tick=tick, ticks=ticks
                ),
                source="governance",
                time=now,
            )
            for seed in plan.seeds
            for branch in BRANCHES
        ]


class _PreviewClosed(Exception):
    """Raised inside a transaction to roll it back."""


class SqlImpactStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.ledger = SqlLedgerStore(engine)

    def order(self, plan: PreviewPlan) -> SqlImpactOrder:
        return SqlImpactOrder(self.engine, plan)

    def preview(self, proposal_id: int) -> PreviewRecord | None:
        with self.engine.connect() as conn:
            return self._preview(conn, proposal_id)

    @staticmethod
    def _preview(conn: Connection, proposal_id: int) -> PreviewRecord | None:
        columns = [c for c in impact_previews.c if c.name != "start_state"]
        row = conn.execute(select(*columns).where(P.proposal_id == proposal_id)).first()
        return None if row is None else _preview(row)

    def progress(self, proposal_id: int) -> int:
        start = select(P.from_tick).where(P.proposal_id == proposal_id).scalar_subquery()
        with self.engine.connect() as conn:
            done = conn.execute(
                select(func.coalesce(func.sum(R.tick - start), 0)).where(
                    R.proposal_id == proposal_id
                )
            ).scalar()
        return int(done or 0)

    def run(self, proposal_id: int, seed: int, branch: Branch) -> RunRecord | None:
        start = select(P.start_state).where(P.proposal_id == proposal_id).scalar_subquery()
        query = select(
            R.tick, R.series, R.last_event_id, func.coalesce(R.state, start).label("state")
        ).where(R.proposal_id == proposal_id, R.seed == seed, R.branch == branch)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None or row.state is None:
            return None
        return RunRecord(
            proposal_id=proposal_id,
            seed=seed,
            branch=branch,
            tick=int(row.tick),
            state=row.state,
            series=json.loads(row.series),
            last_event_id=row.last_event_id,
        )

    def save_run(self, run: RunRecord, from_tick: int, event_id: str, at: datetime) -> bool:
        try:
            return self._save_run(run, from_tick, event_id, at)
        except _PreviewClosed:
            return False  # rolled back: the preview failed meanwhile, keep nothing

    def _save_run(self, run: RunRecord, from_tick: int, event_id: str, at: datetime) -> bool:
        with self.engine.begin() as conn:
            moved = conn.execute(
                update(impact_preview_runs)
                .where(
                    R.proposal_id == run.proposal_id,
                    R.seed == run.seed,
                    R.branch == run.branch,
                    R.tick == from_tick,
                )
                .values(
                    tick=run.tick,
                    state=bytes(run.state),
                    series=json.dumps({k: list(v) for k, v in run.series.items()}),
                    last_event_id=event_id,
                    updated_at=at,
                )
            ).rowcount
            if moved != 1:
                return False
            started = conn.execute(
                update(impact_previews)
                .where(P.proposal_id == run.proposal_id, P.status.in_(_OPEN))
                .values(status="running")
            ).rowcount
            if started != 1:
                raise _PreviewClosed
        return True

    def complete(self, proposal_id: int, build: Completion, at: datetime) -> list[Event]:
        with self.engine.begin() as conn:
            preview = self._preview(conn, proposal_id)
            if preview is None or preview.status not in _OPEN or preview.from_tick is None:
                return []
            horizon = preview.from_tick + preview.months
            rows = conn.execute(
                select(R.seed, R.branch, R.tick, R.series, R.last_event_id).where(
                    R.proposal_id == proposal_id
                )
            ).all()
            if len(rows) < 2 * len(preview.seeds) or any(r.tick < horizon for r in rows):
                return []
            runs = [
                RunRecord(
                    proposal_id=proposal_id,
                    seed=int(r.seed),
                    branch=r.branch,
                    tick=int(r.tick),
                    state=b"",
                    series=json.loads(r.series),
                    last_event_id=r.last_event_id,
                )
                for r in rows
            ]
            figures, events = build(preview, runs)  # a ValueError rolls back
            done = conn.execute(
                update(impact_previews)
                .where(P.proposal_id == proposal_id, P.status.in_(_OPEN))
                .values(
                    status="ready",
                    figures=json.dumps([f.model_dump(mode="json") for f in figures]),
                    completed_at=at,
                    start_state=None,  # the runs are over: the copy is no longer needed
                )
            ).rowcount
            if done != 1:
                return []
            conn.execute(
                update(impact_preview_runs).where(R.proposal_id == proposal_id).values(state=None)
            )
            stage(conn, events)
        return events

    def fail(self, proposal_id: int, reason: str, at: datetime, refund: bool) -> bool:
        with self.engine.begin() as conn:
            row = conn.execute(
                select(P.owner_id, P.charged_minor).where(P.proposal_id == proposal_id)
            ).first()
            if row is None:
                return False
            posting = (
                refund_posting_for(row.owner_id, ITEM, str(proposal_id), int(row.charged_minor))
                if refund
                else None
            )
            failed = conn.execute(
                update(impact_previews)
                .where(P.proposal_id == proposal_id, P.status.in_(_OPEN))
                .values(
                    status="failed",
                    reason=reason[:500],
                    refunded=posting is not None,
                    completed_at=at,
                    start_state=None,
                )
            ).rowcount
            if failed != 1:
                return False
            if posting is not None:
                self.ledger.post_within(conn, posting, at)
        return True


def _preview(row: Row[Any]) -> PreviewRecord:
    figures = None if row.figures is None else json.loads(row.figures)
    return PreviewRecord(
        proposal_id=int(row.proposal_id),
        owner_id=row.owner_id,
        title=row.title,
        status=row.status,
        reason=row.reason,
        changes=json.loads(row.changes),
        params=None if row.params is None else stored_params(row.params),
        from_tick=None if row.from_tick is None else int(row.from_tick),
        seeds=tuple(int(s) for s in json.loads(row.seeds)),
        months=int(row.months),
        households=int(row.households),
        household_months=int(row.household_months),
        charged_minor=int(row.charged_minor),
        refunded=bool(row.refunded),
        figures=None if figures is None else [ImpactFigure.model_validate(f) for f in figures],
        created_at=row.created_at,
        completed_at=row.completed_at,
    )
