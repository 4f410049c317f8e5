"""SQL through SQLAlchemy: Cloud SQL PostgreSQL in production, a SQLite file embedded."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

SQLITE_KEPT_CONNECTIONS = 8  # about the embedded runtime's busy threads


class SqlAlchemyDatabase:
    """`on_first_use(engine)` runs once, before the engine is first handed out (the
    composition root migrates the embedded database there, whichever feature comes first);
    if it raises, the next use tries again."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 5,
        on_first_use: Callable[[Engine], None] | None = None,
    ) -> None:
        parsed = make_url(url)
        self._url = url
        self._on_first_use = on_first_use
        self._lock = threading.Lock()
        if parsed.get_backend_name() == "sqlite":
            if parsed.database:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            # Connections are kept and reused (a new one per use was a quarter of an API
            # request's time: open, pragmas, close); any number beyond the kept ones may be
            # open at once, as before, and are closed when given back.
            self._engine: Engine = create_engine(
                url,
                connect_args={"timeout": 30, "check_same_thread": False},
                poolclass=QueuePool,
                pool_size=SQLITE_KEPT_CONNECTIONS,
                max_overflow=-1,
            )
            event.listen(self._engine, "connect", _sqlite_pragmas)
            # Take the write lock when a transaction begins: two deferred transactions
            # that both read and then write would otherwise fail instead of waiting.
            event.listen(self._engine, "begin", _begin_immediate)
        else:
            # a hard ceiling (no overflow): pool x instances is what PostgreSQL must hold
            self._engine = create_engine(
                url, pool_size=pool_size, max_overflow=0, pool_pre_ping=True
            )

    @property
    def engine(self) -> Engine:
        if self._on_first_use is not None:
            with self._lock:
                if self._on_first_use is not None:
                    self._on_first_use(self._engine)
                    self._on_first_use = None
        return self._engine

    @property
    def url(self) -> str:
        return self._url

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def ping(self) -> None:
        with self._engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self._engine.dispose()


def _begin_immediate(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    dbapi_conn.isolation_level = None  # type: ignore[attr-defined]  # we issue BEGIN ourselves
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def insert_or_ignore(engine: Engine, table: Any) -> Any:
    """`INSERT` that can take `.on_conflict_do_nothing(...)`: PostgreSQL's or SQLite's."""
    module = postgresql if engine.dialect.name == "postgresql" else sqlite
    return module.insert(table)
