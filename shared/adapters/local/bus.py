"""The embedded event bus: Pub/Sub semantics kept in a SQLite file, so pending
deliveries survive a restart of `make run`. Each published message becomes one
delivery per subscription in the manifest; the runtime's dispatcher claims due
deliveries, acks them, or nacks them with backoff until they are dead-lettered.
Deliveries with the same ordering key on one subscription go strictly in order."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from shared.adapters.local.sqlite import SqliteFile
from shared.events.codec import RawMessage, publish_event
from shared.events.envelope import Event
from shared.ports.clock import Clock
from shared.wiring.manifest import Manifest

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    topic TEXT NOT NULL,
    data BLOB NOT NULL,
    attributes TEXT NOT NULL,
    ordering_key TEXT,
    published_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seq INTEGER NOT NULL REFERENCES messages(seq),
    subscription TEXT NOT NULL,
    function TEXT NOT NULL,
    ordering_key TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    due_at REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(state, due_at);
CREATE INDEX IF NOT EXISTS deliveries_key ON deliveries(subscription, ordering_key, state, id);
CREATE TABLE IF NOT EXISTS schedule_fires (
    name TEXT PRIMARY KEY,
    last_fire REAL NOT NULL
);
"""


@dataclass(frozen=True)
class Delivery:
    id: int
    subscription: str
    function: str
    topic: str
    message: RawMessage
    attempts: int


class SqliteEventBus:
    def __init__(self, path: Path, manifest: Manifest, clock: Clock) -> None:
        self._db = SqliteFile(path, _SCHEMA)
        self._manifest = manifest
        self._clock = clock
        self._claim_lock = threading.Lock()
        self.wakeup = threading.Condition()

    # -- publisher port ---------------------------------------------------------------
    def publish(self, event: Event) -> str:
        return publish_event(self.publish_raw, self._manifest, event)

    def publish_raw(
        self,
        topic: str,
        data: bytes,
        attributes: Mapping[str, str],
        ordering_key: str | None = None,
    ) -> str:
        subscribers = self._manifest.subscribers(topic)
        if not any(t.name == topic for t in self._manifest.topics):
            raise LookupError(f"unknown topic {topic}")
        message_id = uuid.uuid4().hex
        now = self._clock.now().timestamp()
        conn = self._db.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            cur = conn.execute(
                "INSERT INTO messages(message_id, topic, data, attributes, ordering_key,"
                " published_at) VALUES (?,?,?,?,?,?)",
                (message_id, topic, data, json.dumps(dict(attributes)), ordering_key, now),
            )
            seq = cur.lastrowid
            for fn in subscribers:
                conn.execute(
                    "INSERT INTO deliveries(seq, subscription, function, ordering_key, due_at)"
                    " VALUES (?,?,?,?,?)",
                    (seq, fn.subscription, fn.name, ordering_key, now),
                )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        with self.wakeup:
            self.wakeup.notify_all()
        return message_id

    def ping(self) -> None:
        self._db.connection().execute("SELECT 1").fetchone()

    # -- subscriber side (used by the local runtime) ---------------------------------
    def recover(self) -> int:
        """After a restart, deliveries that were in flight go back to pending."""
        cur = self._db.connection().execute(
            "UPDATE deliveries SET state='pending' WHERE state='inflight'"
        )
        return cur.rowcount

    def claim(self) -> Delivery | None:
        now = self._clock.now().timestamp()
        with self._claim_lock:
            conn = self._db.connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute(
                    """
                    SELECT d.id, d.subscription, d.function, m.topic, m.data, m.attributes,
                           m.ordering_key, m.message_id, m.published_at, d.attempts
                    FROM deliveries d JOIN messages m ON m.seq = d.seq
                    WHERE d.state = 'pending' AND d.due_at <= ?
                      AND (d.ordering_key IS NULL OR NOT EXISTS (
                            SELECT 1 FROM deliveries e
                            WHERE e.subscription = d.subscription
                              AND e.ordering_key = d.ordering_key
                              AND e.state IN ('pending', 'inflight') AND e.id < d.id))
                    ORDER BY d.due_at, d.id LIMIT 1
                    """,
                    (now,),
                ).fetchone()
                if row is None:
                    conn.execute("COMMIT")
                    return None
                conn.execute(
                    "UPDATE deliveries SET state='inflight', attempts=attempts+1 WHERE id=?",
                    (row[0],),
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        published = datetime.fromtimestamp(row[8], UTC).isoformat().replace("+00:00", "Z")
        return Delivery(
            id=row[0],
            subscription=row[1],
            function=row[2],
            topic=row[3],
            message=RawMessage(
                data=bytes(row[4]),
                attributes=json.loads(row[5]),
                ordering_key=row[6],
                message_id=row[7],
                publish_time=published,
                delivery_attempt=row[9] + 1,
                subscription=row[1],
            ),
            attempts=row[9] + 1,
        )

    def ack(self, delivery_id: int) -> None:
        self._db.connection().execute("DELETE FROM deliveries WHERE id=?", (delivery_id,))

    def nack(self, delivery_id: int, retry_in: float, error: str) -> None:
        due = self._clock.now().timestamp() + retry_in
        self._db.connection().execute(
            "UPDATE deliveries SET state='pending', due_at=?, last_error=? WHERE id=?",
            (due, error[:2000], delivery_id),
        )

    def bury(self, delivery_id: int, error: str) -> None:
        """Mark a delivery dead (kept for inspection; it blocks its ordering key no more)."""
        self._db.connection().execute(
            "UPDATE deliveries SET state='dead', last_error=? WHERE id=?",
            (error[:2000], delivery_id),
        )

    def next_due(self) -> float | None:
        """The earliest retry still in the future (what is due now is claimable, or
        waits behind its ordering key)."""
        now = self._clock.now().timestamp()
        row = (
            self._db.connection()
            .execute(
                "SELECT MIN(due_at) FROM deliveries WHERE state='pending' AND due_at > ?", (now,)
            )
            .fetchone()
        )
        return None if row is None or row[0] is None else float(row[0])

    def pending_count(self) -> int:
        row = (
            self._db.connection()
            .execute("SELECT COUNT(*) FROM deliveries WHERE state IN ('pending','inflight')")
            .fetchone()
        )
        return int(row[0])

    def messages(self, topic: str) -> list[RawMessage]:
        """Everything published to `topic`, oldest first (inspection and tests)."""
        rows = (
            self._db.connection()
            .execute(
                "SELECT data, attributes, ordering_key, message_id FROM messages"
                " WHERE topic=? ORDER BY seq",
                (topic,),
            )
            .fetchall()
        )
        return [
            RawMessage(
                data=bytes(r[0]), attributes=json.loads(r[1]), ordering_key=r[2], message_id=r[3]
            )
            for r in rows
        ]

    # -- scheduler bookkeeping ---------------------------------------------------------
    def last_fire(self, name: str) -> float | None:
        row = (
            self._db.connection()
            .execute("SELECT last_fire FROM schedule_fires WHERE name=?", (name,))
            .fetchone()
        )
        return None if row is None else float(row[0])

    def record_fire(self, name: str, at: float) -> None:
        self._db.connection().execute(
            "INSERT INTO schedule_fires(name, last_fire) VALUES (?,?)"
            " ON CONFLICT(name) DO UPDATE SET last_fire=excluded.last_fire",
            (name, at),
        )

    def close(self) -> None:
        self._db.close()
