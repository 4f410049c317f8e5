"""The runs each user started, in SQL, for the per-user simulation limits
(`shared.simulation.quotas`). An admission locks the user's `simulation_quotas` row
(an UPDATE: a row lock on PostgreSQL; SQLite transactions begin IMMEDIATE and so run
one at a time), then counts and records in the same transaction."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from shared.adapters.sql.database import insert_or_ignore
from shared.adapters.sql.migrate import migrate
from shared.adapters.sql.schema import simulation_quotas, simulation_runs
from shared.ports.sql import SqlDatabase
from shared.simulation.quotas import Usage


class SqlSimulationRuns:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def admit(
        self,
        user_id: str,
        simulation_id: str,
        household_months: int,
        at: datetime,
        day_start: datetime,
        running_since: datetime,
        check: Callable[[Usage], None],
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert_or_ignore(self.engine, simulation_quotas)
                .values(user_id=user_id, admitted_at=at)
                .on_conflict_do_nothing(index_elements=["user_id"])
            )
            # the lock: a parallel admission of this user waits here until we commit
            conn.execute(
                update(simulation_quotas)
                .where(simulation_quotas.c.user_id == user_id)
                .values(admitted_at=at)
            )
            check(self._usage(conn, user_id, day_start, running_since))  # raising rolls back
            conn.execute(
                insert(simulation_runs).values(
                    simulation_id=simulation_id,
                    user_id=user_id,
                    household_months=household_months,
                    started_at=at,
                    finished_at=None,
                )
            )

    def usage(self, user_id: str, day_start: datetime, running_since: datetime) -> Usage:
        with self.engine.connect() as conn:
            return self._usage(conn, user_id, day_start, running_since)

    def finish(self, simulation_id: str, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(simulation_runs)
                .where(
                    simulation_runs.c.simulation_id == simulation_id,
                    simulation_runs.c.finished_at.is_(None),
                )
                .values(finished_at=at)
            )

    def forget(self, simulation_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                delete(simulation_runs).where(simulation_runs.c.simulation_id == simulation_id)
            )

    @staticmethod
    def _usage(
        conn: Connection, user_id: str, day_start: datetime, running_since: datetime
    ) -> Usage:
        runs = simulation_runs.c
        running = conn.execute(
            select(func.count()).where(
                runs.user_id == user_id,
                runs.started_at >= running_since,
                runs.finished_at.is_(None),
            )
        ).scalar()
        started = conn.execute(
            select(func.coalesce(func.sum(runs.household_months), 0)).where(
                runs.user_id == user_id, runs.started_at >= day_start
            )
        ).scalar()
        return Usage(running=int(running or 0), started_today=int(started or 0))


_runs: weakref.WeakKeyDictionary[object, SqlSimulationRuns] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def runs_for(database: SqlDatabase) -> SqlSimulationRuns:
    """The runs on `database` (a `SqlAlchemyDatabase`), its schema migrated once locally."""
    with _lock:
        runs = _runs.get(database)
        if runs is None:
            engine = getattr(database, "engine", None)
            if not isinstance(engine, Engine):
                raise TypeError(f"{type(database).__name__} has no SQLAlchemy engine")
            if engine.dialect.name == "sqlite":
                migrate(engine)  # embedded: the runtime owns its schema
            runs = _runs[database] = SqlSimulationRuns(engine)
        return runs
