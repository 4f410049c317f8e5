"""SQL through SQLAlchemy: Cloud SQL PostgreSQL in production, a SQLite file embedded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool


class SqlAlchemyDatabase:
    def __init__(self, url: str, *, pool_size: int = 5) -> None:
        parsed = make_url(url)
        self._url = url
        if parsed.get_backend_name() == "sqlite":
            if parsed.database:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                url, connect_args={"timeout": 30, "check_same_thread": False}, poolclass=NullPool
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
            # Take the write lock when a transaction begins: two deferred transactions
            # that both read and then write would otherwise fail instead of waiting.
            event.listen(self.engine, "begin", _begin_immediate)
        else:
            self.engine = create_engine(
                url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
            )

    @property
    def url(self) -> str:
        return self._url

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


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
