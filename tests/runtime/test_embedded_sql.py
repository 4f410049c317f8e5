"""The embedded SQL database (`make run`'s SQLite file) keeps its connections for reuse,
yet any number of threads may hold one at once (the server's and the dispatcher's), and
their write transactions still take turns without losing an update."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import event, text

from shared.adapters.sql.database import SQLITE_KEPT_CONNECTIONS, SqlAlchemyDatabase

THREADS = 2 * SQLITE_KEPT_CONNECTIONS
ROUNDS = 20


def test_connections_are_reused_not_opened_per_use(tmp_path: Path) -> None:
    database = SqlAlchemyDatabase(f"sqlite:///{tmp_path / 'aia.sqlite3'}")
    opened: list[object] = []
    event.listen(database.engine, "connect", lambda conn, _record: opened.append(conn))
    for _ in range(50):
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
    assert len(opened) == 1
    database.dispose()
    with database.engine.connect() as conn:  # still usable after letting its files go
        conn.execute(text("SELECT 1"))
    assert len(opened) == 2


def test_more_threads_than_kept_connections_all_write(tmp_path: Path) -> None:
    database = SqlAlchemyDatabase(f"sqlite:///{tmp_path / 'aia.sqlite3'}")
    with database.engine.begin() as conn:
        conn.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO counter VALUES (0)"))
    holding = threading.Barrier(THREADS, timeout=30)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with database.engine.connect() as conn:
                holding.wait()  # every thread holds a connection at the same moment
                for _ in range(ROUNDS):
                    with conn.begin():  # BEGIN IMMEDIATE: the write lock, then read
                        n = conn.execute(text("SELECT n FROM counter")).scalar_one()
                        conn.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar_one() == THREADS * ROUNDS
    pool = database.engine.pool
    assert pool.checkedin() <= SQLITE_KEPT_CONNECTIONS  # the overflow was closed on return
