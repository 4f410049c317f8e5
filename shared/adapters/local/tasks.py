"""The embedded task queue (Cloud Tasks' contract): named HTTP tasks kept in SQLite,
dispatched by the local runtime to the HTTP function they target."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from shared.adapters.local.sqlite import SqliteFile
from shared.ports.clock import Clock
from shared.wiring.manifest import Manifest

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    name TEXT PRIMARY KEY,
    queue TEXT NOT NULL,
    function TEXT NOT NULL,
    path TEXT NOT NULL,
    payload TEXT NOT NULL,
    due_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending',
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS tasks_due ON tasks(state, due_at);
"""


@dataclass(frozen=True)
class Task:
    name: str
    queue: str
    function: str
    path: str
    payload: dict[str, Any]
    attempts: int


class SqliteTaskQueue:
    def __init__(self, path: Path, manifest: Manifest, clock: Clock) -> None:
        self._db = SqliteFile(path, _SCHEMA)
        self._manifest = manifest
        self._clock = clock
        self._lock = threading.Lock()

    def enqueue(
        self,
        queue: str,
        function: str,
        payload: Mapping[str, Any],
        *,
        task_id: str | None = None,
        schedule_time: datetime | None = None,
        path: str = "/",
    ) -> str:
        self._manifest.queue(queue)
        target = self._manifest.function(function)
        if target.http is None:
            raise ValueError(f"{function} is not an HTTP function")
        name = task_id or uuid.uuid4().hex
        due = (schedule_time or self._clock.now()).timestamp()
        self._db.connection().execute(
            "INSERT INTO tasks(name, queue, function, path, payload, due_at) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT(name) DO NOTHING",
            (name, queue, function, path, json.dumps(dict(payload)), due),
        )
        return name

    def claim(self) -> Task | None:
        now = self._clock.now().timestamp()
        with self._lock:
            conn = self._db.connection()
            row = conn.execute(
                "SELECT name, queue, function, path, payload, attempts FROM tasks"
                " WHERE state='pending' AND due_at <= ? ORDER BY due_at LIMIT 1",
                (now,),
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE tasks SET state='inflight', attempts=attempts+1 WHERE name=?", (row[0],)
            )
        return Task(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5] + 1)

    def complete(self, name: str) -> None:
        self._db.connection().execute("UPDATE tasks SET state='done' WHERE name=?", (name,))

    def retry(self, name: str, delay: float, error: str) -> None:
        due = self._clock.now().timestamp() + delay
        self._db.connection().execute(
            "UPDATE tasks SET state='pending', due_at=?, last_error=? WHERE name=?",
            (due, error[:2000], name),
        )

    def fail(self, name: str, error: str) -> None:
        self._db.connection().execute(
            "UPDATE tasks SET state='failed', last_error=? WHERE name=?", (error[:2000], name)
        )

    def recover(self) -> int:
        return (
            self._db.connection()
            .execute("UPDATE tasks SET state='pending' WHERE state='inflight'")
            .rowcount
        )

    def next_due(self) -> float | None:
        """The earliest retry still in the future (what is due now is claimable, or
        waits behind its ordering key)."""
        now = self._clock.now().timestamp()
        row = (
            self._db.connection()
            .execute("SELECT MIN(due_at) FROM tasks WHERE state='pending' AND due_at > ?", (now,))
            .fetchone()
        )
        return None if row is None or row[0] is None else float(row[0])

    def state(self, name: str) -> str | None:
        row = (
            self._db.connection()
            .execute("SELECT state FROM tasks WHERE name=?", (name,))
            .fetchone()
        )
        return None if row is None else str(row[0])

    def ping(self) -> None:
        self._db.connection().execute("SELECT 1").fetchone()

    def close(self) -> None:
        self._db.close()
