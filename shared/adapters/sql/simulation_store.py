"""Simulations in SQL (SQLAlchemy Core): one row per simulation holding what it is
(owner, status, parameters, charge, agent, times), where it is (tick, latest figures)
and its raw state blob; one row per simulated month of metrics; an audit row per
applied policy change. The tables are in `schema.py` (migrations 0005 and 0009).

Every query by owner filters on the owner column, so another owner's simulation reads
as missing. Creating one admits it against its owner's limits, posts its charge to the
ledger and stages its first tick in the outbox, all in one transaction: an admission
locks the owner's `simulation_quotas` row first (an UPDATE: a row lock on PostgreSQL;
SQLite transactions begin IMMEDIATE and so run one at a time), so parallel admissions
of one owner count one after another."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    and_,
    case,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from shared.adapters.sql.database import insert_or_ignore
from shared.adapters.sql.ledger import SqlLedgerStore
from shared.adapters.sql.outbox import stage
from shared.adapters.sql.schema import (
    impact_previews,
    simulation_metrics,
    simulation_model_changes,
    simulation_policy_changes,
    simulation_quotas,
    simulation_states,
)
from shared.events.envelope import Event
from shared.ledger.postings import LedgerRejected, user_owner
from shared.ledger.pricing import charge_posting_for, refund_posting_for, refused_charge
from shared.money import Token
from shared.simulation.events import DecidedBy
from shared.simulation.indicators import METRIC_FIELDS, TickMetrics
from shared.simulation.model_version import MODEL_VERSION
from shared.simulation.params import SimulationParams, stored_params
from shared.simulation.store import (
    Admission,
    Charge,
    ModelChange,
    ModelChangeRecord,
    PolicyChangeRecord,
    SimulationRecord,
    StoredSimulation,
    Usage,
)

_sims = simulation_states.c
# everything but the state blob: what listing and reading a simulation need
_RECORD = [column for column in simulation_states.c if column.name != "state"]
_UNFINISHED = ("queued", "running")


class SqlSimulationStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.ledger = SqlLedgerStore(engine)

    # -- creating -----------------------------------------------------------------------
    def create(
        self,
        simulation: SimulationRecord,
        first_tick: Event,
        *,
        admission: Admission | None = None,
        charge: Charge | None = None,
    ) -> bool:
        try:
            return self._create(simulation, first_tick, admission, charge)
        except LedgerRejected as exc:
            # rolled back: now say why, with the balance (read outside the transaction,
            # whose write lock the embedded database would otherwise wait on)
            assert charge is not None
            held = self.ledger.balance(user_owner(charge.user_id), Token.AIA)
            raise refused_charge(charge.item, charge.amount, held, exc) from None

    def _create(
        self,
        simulation: SimulationRecord,
        first_tick: Event,
        admission: Admission | None,
        charge: Charge | None,
    ) -> bool:
        with self.engine.begin() as conn:
            if admission is not None:
                self._lock_owner(conn, simulation.owner_id, simulation.created_at)
                usage = self._usage(
                    conn, simulation.owner_id, admission.day_start, admission.running_since
                )
                admission.check(usage)  # raising rolls back
            inserted = conn.execute(
                insert_or_ignore(self.engine, simulation_states)
                .values(**_row(simulation), state=None, last_event_id=None)
                .on_conflict_do_nothing(index_elements=["simulation_id"])
                .returning(_sims.simulation_id)
            ).scalar()
            if inserted is None:
                return False
            posting = (
                None
                if charge is None
                else charge_posting_for(charge.user_id, charge.item, charge.job_id, charge.amount)
            )
            if posting is not None:
                self.ledger.post_within(conn, posting, simulation.created_at)  # may refuse
            stage(conn, [first_tick])
        return True

    def _lock_owner(self, conn: Connection, owner_id: str, at: datetime) -> None:
        lock_owner(conn, self.engine, owner_id, at)

    # -- reading ------------------------------------------------------------------------
    def record(self, simulation_id: str) -> SimulationRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(*_RECORD).where(_sims.simulation_id == simulation_id)).first()
        return None if row is None else _record(row)

    def owned(self, simulation_id: str, owner_id: str) -> SimulationRecord | None:
        query = select(*_RECORD).where(
            _sims.simulation_id == simulation_id, _sims.owner_id == owner_id
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _record(row)

    def owned_by(
        self, owner_id: str, limit: int, after: tuple[datetime, str] | None = None
    ) -> list[SimulationRecord]:
        condition = _sims.owner_id == owner_id
        if after is not None:
            at, simulation_id = after
            condition = and_(
                condition,
                or_(
                    _sims.created_at < at,
                    and_(_sims.created_at == at, _sims.simulation_id > simulation_id),
                ),
            )
        query = (
            select(*_RECORD)
            .where(condition)
            .order_by(_sims.created_at.desc(), _sims.simulation_id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_record(row) for row in conn.execute(query)]

    def unfinished(self, limit: int) -> list[SimulationRecord]:
        query = (
            select(*_RECORD)
            .where(_sims.status.in_(_UNFINISHED))
            .order_by(_sims.created_at, _sims.simulation_id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_record(row) for row in conn.execute(query)]

    def usage(self, owner_id: str, day_start: datetime, running_since: datetime) -> Usage:
        with self.engine.connect() as conn:
            return self._usage(conn, owner_id, day_start, running_since)

    @staticmethod
    def _usage(
        conn: Connection, owner_id: str, day_start: datetime, running_since: datetime
    ) -> Usage:
        return usage_of(conn, owner_id, day_start, running_since)

    def load(self, simulation_id: str) -> StoredSimulation | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(simulation_states).where(_sims.simulation_id == simulation_id)
            ).first()
        if row is None:
            return None
        record = _record(row)
        return StoredSimulation(
            **{field.name: getattr(record, field.name) for field in dataclasses.fields(record)},
            state=row.state,
            last_event_id=row.last_event_id,
        )

    def tick_of(self, simulation_id: str) -> int | None:
        with self.engine.connect() as conn:
            tick = conn.execute(
                select(_sims.tick).where(_sims.simulation_id == simulation_id)
            ).scalar()
        return None if tick is None else int(tick)

    # -- advancing ----------------------------------------------------------------------
    def save_initial_state(
        self, simulation_id: str, state: bytes | bytearray, model_version: int = MODEL_VERSION
    ) -> bool:
        with self.engine.begin() as conn:
            saved = conn.execute(
                update(simulation_states)
                .where(
                    _sims.simulation_id == simulation_id,
                    _sims.state.is_(None),
                    _sims.tick == 0,
                )
                .values(state=state, model_version=model_version)
            ).rowcount
        return saved == 1

    def save_advance(
        self,
        simulation_id: str,
        from_tick: int,
        state: bytes | bytearray,
        tick: int,
        metrics: Sequence[TickMetrics],
        event_id: str,
        latest: Mapping[str, float],
        at: datetime,
        model_change: ModelChange | None = None,
    ) -> bool:
        reached = case(
            (_sims.status == "failed", "failed"),  # refunded: stays failed
            (_sims.horizon.is_not(None) & (_sims.horizon <= tick), "completed"),
            else_="running",
        )
        with self.engine.begin() as conn:
            moved = conn.execute(
                update(simulation_states)
                .where(_sims.simulation_id == simulation_id, _sims.tick == from_tick)
                .values(
                    state=state,
                    tick=tick,
                    status=reached,
                    latest=json.dumps(dict(latest)),
                    last_event_id=event_id,
                    updated_at=at,
                    **({} if model_change is None else {"model_version": model_change.to_version}),
                )
            ).rowcount
            if moved != 1:
                return False  # another delivery got there first: roll back, write nothing
            if model_change is not None:
                previous = model_change.previous_state
                conn.execute(
                    insert(simulation_model_changes).values(
                        simulation_id=simulation_id,
                        tick=from_tick,
                        from_version=model_change.from_version,
                        to_version=model_change.to_version,
                        event_id=event_id,
                        changed_at=at,
                        previous_state=None if previous is None else bytes(previous),
                    )
                )
            if metrics:
                conn.execute(
                    insert(simulation_metrics),
                    [{"simulation_id": simulation_id, **m.as_dict()} for m in metrics],
                )
        return True

    def fail(
        self, simulation_id: str, at: datetime, refund: Charge | None, reason: str | None = None
    ) -> bool:
        with self.engine.begin() as conn:
            failed = conn.execute(
                update(simulation_states)
                .where(_sims.simulation_id == simulation_id, _sims.status.in_(_UNFINISHED))
                .values(status="failed", updated_at=at, failure_reason=reason)
            ).rowcount
            if failed != 1:
                return False
            posting = (
                None
                if refund is None
                else refund_posting_for(refund.user_id, refund.item, refund.job_id, refund.amount)
            )
            if posting is not None:
                self.ledger.post_within(conn, posting, at)
        return True

    # -- metrics ------------------------------------------------------------------------
    def metrics(
        self, simulation_id: str, from_tick: int = 0, limit: int | None = None
    ) -> list[TickMetrics]:
        query = (
            select(*(simulation_metrics.c[name] for name in METRIC_FIELDS))
            .where(
                simulation_metrics.c.simulation_id == simulation_id,
                simulation_metrics.c.tick > from_tick,
            )
            .order_by(simulation_metrics.c.tick)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [TickMetrics(**row._mapping) for row in conn.execute(query)]

    def latest_metrics(self, simulation_id: str) -> TickMetrics | None:
        query = (
            select(*(simulation_metrics.c[name] for name in METRIC_FIELDS))
            .where(simulation_metrics.c.simulation_id == simulation_id)
            .order_by(simulation_metrics.c.tick.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else TickMetrics(**row._mapping)

    # -- policy -------------------------------------------------------------------------
    def apply_policy(
        self,
        simulation_id: str,
        params: SimulationParams,
        changes: dict[str, Any],
        reason: str,
        event_id: str,
        at: datetime,
        decided_by: DecidedBy | None = None,
    ) -> bool:
        try:
            with self.engine.begin() as conn:
                tick = conn.execute(
                    select(_sims.tick).where(_sims.simulation_id == simulation_id)
                ).scalar()
                if tick is None:
                    return False
                conn.execute(
                    insert(simulation_policy_changes).values(
                        event_id=event_id,
                        simulation_id=simulation_id,
                        tick=int(tick),
                        changes=json.dumps(changes, sort_keys=True),
                        reason=reason,
                        applied_at=at,
                        decided_by=None if decided_by is None else decided_by.model_dump_json(),
                    )
                )
                conn.execute(
                    update(simulation_states)
                    .where(_sims.simulation_id == simulation_id)
                    .values(params=params.model_dump_json())
                )
        except IntegrityError:
            return False  # this event's change is already recorded
        return True

    def policy_changes(self, simulation_id: str) -> list[PolicyChangeRecord]:
        change = simulation_policy_changes.c
        query = (
            select(simulation_policy_changes)
            .where(change.simulation_id == simulation_id)
            .order_by(change.applied_at, change.tick)
        )
        with self.engine.connect() as conn:
            return [_policy_change(row) for row in conn.execute(query)]

    def last_policy_change(self, simulation_id: str) -> PolicyChangeRecord | None:
        change = simulation_policy_changes.c
        query = (
            select(simulation_policy_changes)
            .where(change.simulation_id == simulation_id)
            .order_by(change.applied_at.desc(), change.tick.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _policy_change(row)

    # -- models -------------------------------------------------------------------------
    def model_changes(self, simulation_id: str) -> list[ModelChangeRecord]:
        change = simulation_model_changes.c
        query = (
            select(change.tick, change.from_version, change.to_version, change.changed_at)
            .where(change.simulation_id == simulation_id)
            .order_by(change.tick)
        )
        with self.engine.connect() as conn:
            return [
                ModelChangeRecord(
                    tick=int(row.tick),
                    from_version=int(row.from_version),
                    to_version=int(row.to_version),
                    changed_at=row.changed_at,
                )
                for row in conn.execute(query)
            ]

    # -- the first release --------------------------------------------------------------
    def import_first_release(self, simulations: Sequence[SimulationRecord]) -> int:
        copied = 0
        with self.engine.begin() as conn:
            for simulation in simulations:
                # never started: no row yet (its first tick builds the state)
                started = dict(_row(simulation), tick=0)
                if simulation.status != "failed":
                    started["status"] = "queued"
                inserted = conn.execute(
                    insert_or_ignore(self.engine, simulation_states)
                    .values(**started, state=None, last_event_id=None)
                    .on_conflict_do_nothing(index_elements=["simulation_id"])
                    .returning(_sims.simulation_id)
                ).scalar()
                if inserted is not None:
                    copied += 1
                    continue
                # the row knows the tick, the parameters in force and so the status;
                # only a failure is the document's to tell
                copied += conn.execute(
                    update(simulation_states)
                    .where(_sims.simulation_id == simulation.simulation_id, _sims.owner_id == "")
                    .values(
                        owner_id=simulation.owner_id,
                        status="failed" if simulation.status == "failed" else _sims.status,
                        latest=json.dumps(dict(simulation.latest)),
                        charged_minor=simulation.charged_minor,
                        agent_id=simulation.agent_id,
                        household_months=func.coalesce(
                            _sims.household_months, simulation.household_months
                        ),
                        created_at=simulation.created_at,
                        updated_at=simulation.updated_at,
                    )
                ).rowcount
        return copied


def _row(simulation: SimulationRecord) -> dict[str, Any]:
    return {
        "simulation_id": simulation.simulation_id,
        "owner_id": simulation.owner_id,
        "status": simulation.status,
        "tick": simulation.tick,
        "horizon": simulation.horizon,
        "params": simulation.params.model_dump_json(),
        "latest": json.dumps(dict(simulation.latest)),
        "charged_minor": simulation.charged_minor,
        "agent_id": simulation.agent_id,
        "household_months": simulation.household_months,
        "created_at": simulation.created_at,
        "updated_at": simulation.updated_at,
        "model_version": simulation.model_version,
        "failure_reason": simulation.failure_reason,
    }


def _record(row: Row[Any]) -> SimulationRecord:
    return SimulationRecord(
        simulation_id=row.simulation_id,
        owner_id=row.owner_id,
        status=row.status,
        params=stored_params(row.params),
        horizon=None if row.horizon is None else int(row.horizon),
        tick=int(row.tick),
        latest=json.loads(row.latest),
        charged_minor=int(row.charged_minor),
        agent_id=row.agent_id,
        household_months=None if row.household_months is None else int(row.household_months),
        created_at=row.created_at,
        updated_at=row.updated_at,
        model_version=int(row.model_version),
        failure_reason=row.failure_reason,
    )


def _policy_change(row: Row[Any]) -> PolicyChangeRecord:
    applied_at: datetime = row.applied_at
    return PolicyChangeRecord(
        event_id=row.event_id,
        tick=int(row.tick),
        changes=json.loads(row.changes),
        reason=row.reason,
        # the embedded database hands back the UTC time it stored without its zone
        applied_at=applied_at if applied_at.tzinfo else applied_at.replace(tzinfo=UTC),
        decided_by=None
        if row.decided_by is None
        else DecidedBy.model_validate_json(row.decided_by),
    )


def lock_owner(conn: Connection, engine: Engine, owner_id: str, at: datetime) -> None:
    """Serialise the owner's admissions: a parallel one waits here until we commit."""
    conn.execute(
        insert_or_ignore(engine, simulation_quotas)
        .values(user_id=owner_id, admitted_at=at)
        .on_conflict_do_nothing(index_elements=["user_id"])
    )
    # the lock: a parallel admission of this owner waits here until we commit
    conn.execute(
        update(simulation_quotas)
        .where(simulation_quotas.c.user_id == owner_id)
        .values(admitted_at=at)
    )


def usage_of(
    conn: Connection, owner_id: str, day_start: datetime, running_since: datetime
) -> Usage:
    """The owner's simulations and impact previews (ADR 0038: a preview counts as one
    run, its work as theirs) not yet finished, and their household-months today."""
    counted = (_sims.owner_id == owner_id, _sims.household_months.is_not(None))
    running = conn.execute(
        select(func.count()).where(
            *counted, _sims.created_at >= running_since, _sims.status.in_(_UNFINISHED)
        )
    ).scalar()
    started = conn.execute(
        select(func.coalesce(func.sum(_sims.household_months), 0)).where(
            *counted, _sims.created_at >= day_start
        )
    ).scalar()
    preview = impact_previews.c
    previews_running = conn.execute(
        select(func.count()).where(
            preview.owner_id == owner_id,
            preview.created_at >= running_since,
            preview.status.in_(_UNFINISHED),
        )
    ).scalar()
    previews_started = conn.execute(
        select(func.coalesce(func.sum(preview.household_months), 0)).where(
            preview.owner_id == owner_id, preview.created_at >= day_start
        )
    ).scalar()
    return Usage(
        running=int(running or 0) + int(previews_running or 0),
        started_today=int(started or 0) + int(previews_started or 0),
    )
