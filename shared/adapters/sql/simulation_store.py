"""Simulations in SQL (SQLAlchemy Core): one row per simulation holding the raw state
blob and the parameters in force, one row per simulated month of metrics, and an audit
row per applied policy change. The tables are in `schema.py` and migration 0005."""

from __future__ import annotations

import json
import threading
import weakref
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Engine,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from shared.adapters.sql.migrate import migrate
from shared.adapters.sql.schema import (
    simulation_metrics,
    simulation_policy_changes,
    simulation_states,
)
from shared.ports.sql import SqlDatabase
from shared.simulation.indicators import METRIC_FIELDS, TickMetrics
from shared.simulation.params import SimulationParams
from shared.simulation.store import StoredSimulation


class SqlSimulationStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(
        self,
        simulation_id: str,
        params: SimulationParams,
        horizon: int | None,
        state: bytes | bytearray,
        tick: int,
    ) -> bool:
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(simulation_states).values(
                        simulation_id=simulation_id,
                        tick=tick,
                        horizon=horizon,
                        params=params.model_dump_json(),
                        state=state,
                        last_event_id=None,
                        updated_at=_now(),
                    )
                )
        except IntegrityError:
            return False
        return True

    def load(self, simulation_id: str) -> StoredSimulation | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(simulation_states).where(simulation_states.c.simulation_id == simulation_id)
            ).first()
        if row is None:
            return None
        return StoredSimulation(
            simulation_id=row.simulation_id,
            tick=int(row.tick),
            horizon=None if row.horizon is None else int(row.horizon),
            params=SimulationParams.model_validate_json(row.params),
            state=row.state,
            last_event_id=row.last_event_id,
        )

    def tick_of(self, simulation_id: str) -> int | None:
        with self.engine.connect() as conn:
            tick = conn.execute(
                select(simulation_states.c.tick).where(
                    simulation_states.c.simulation_id == simulation_id
                )
            ).scalar()
        return None if tick is None else int(tick)

    def save_advance(
        self,
        simulation_id: str,
        from_tick: int,
        state: bytes | bytearray,
        tick: int,
        metrics: list[TickMetrics],
        event_id: str,
    ) -> bool:
        with self.engine.begin() as conn:
            moved = conn.execute(
                update(simulation_states)
                .where(
                    simulation_states.c.simulation_id == simulation_id,
                    simulation_states.c.tick == from_tick,
                )
                .values(state=state, tick=tick, last_event_id=event_id, updated_at=_now())
            ).rowcount
            if moved != 1:
                return False  # another delivery got there first: roll back, write nothing
            if metrics:
                conn.execute(
                    insert(simulation_metrics),
                    [{"simulation_id": simulation_id, **m.as_dict()} for m in metrics],
                )
        return True

    def metrics(
        self, simulation_id: str, from_tick: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
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
            return [dict(row._mapping) for row in conn.execute(query)]

    def latest_metrics(self, simulation_id: str) -> dict[str, Any] | None:
        query = (
            select(*(simulation_metrics.c[name] for name in METRIC_FIELDS))
            .where(simulation_metrics.c.simulation_id == simulation_id)
            .order_by(simulation_metrics.c.tick.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else dict(row._mapping)

    def apply_policy(
        self, simulation_id: str, params: SimulationParams, changes: dict[str, Any], event_id: str
    ) -> bool:
        try:
            with self.engine.begin() as conn:
                tick = conn.execute(
                    select(simulation_states.c.tick).where(
                        simulation_states.c.simulation_id == simulation_id
                    )
                ).scalar()
                if tick is None:
                    return False
                conn.execute(
                    insert(simulation_policy_changes).values(
                        event_id=event_id,
                        simulation_id=simulation_id,
                        tick=int(tick),
                        changes=json.dumps(changes, sort_keys=True),
                        applied_at=_now(),
                    )
                )
                conn.execute(
                    update(simulation_states)
                    .where(simulation_states.c.simulation_id == simulation_id)
                    .values(params=params.model_dump_json())
                )
        except IntegrityError:
            return False  # this event's change is already recorded
        return True

    def policy_changes(self, simulation_id: str) -> list[dict[str, Any]]:
        query = (
            select(simulation_policy_changes)
            .where(simulation_policy_changes.c.simulation_id == simulation_id)
            .order_by(simulation_policy_changes.c.applied_at)
        )
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]


_stores: weakref.WeakKeyDictionary[object, SqlSimulationStore] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def store_for(database: SqlDatabase) -> SqlSimulationStore:
    """The store on `database` (a `SqlAlchemyDatabase`), tables created once."""
    with _lock:
        store = _stores.get(database)
        if store is None:
            engine = getattr(database, "engine", None)
            if not isinstance(engine, Engine):
                raise TypeError(f"{type(database).__name__} has no SQLAlchemy engine")
            if engine.dialect.name == "sqlite":
                migrate(engine)  # embedded: the runtime owns its schema
            store = _stores[database] = SqlSimulationStore(engine)
        return store


def _now() -> datetime:
    return datetime.now(UTC)
