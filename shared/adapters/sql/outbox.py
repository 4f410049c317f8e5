from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, insert, select, update

from shared.adapters.sql.schema import outbox
from shared.events.codec import RawMessage, decode, encode
from shared.events.envelope import Event
from shared.events.outbox import OutboxBacklog


def stage(conn: Connection, events: Sequence[Event]) -> None:
    """Stage events inside the caller's transaction."""
    now = datetime.now(UTC)
    for event in events:
        raw = encode(event)
        conn.execute(
            insert(outbox).values(
                event_id=event.id,
                data=raw.data.decode(),
                attributes=json.dumps(dict(raw.attributes)),
                ordering_key=raw.ordering_key,
                created_at=now,
            )
        )


class SqlOutbox:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def pending(self, limit: int) -> list[Event]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(outbox.c.data, outbox.c.attributes, outbox.c.ordering_key)
                .where(outbox.c.published_at.is_(None))
                .order_by(outbox.c.seq)
                .limit(limit)
            ).all()
        return [
            decode(
                RawMessage(
                    data=r.data.encode(),
                    attributes=json.loads(r.attributes),
                    ordering_key=r.ordering_key,
                )
            )
            for r in rows
        ]

    def backlog(self) -> OutboxBacklog:
        with self.engine.connect() as conn:
            count, oldest = conn.execute(
                select(func.count(), func.min(outbox.c.created_at)).where(
                    outbox.c.published_at.is_(None)
                )
            ).one()
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)  # SQLite keeps no zone; we store UTC
        return OutboxBacklog(unpublished=int(count), oldest_staged_at=oldest)

    def mark_published(self, event_ids: Sequence[str]) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.event_id.in_(list(event_ids)))
                .values(published_at=datetime.now(UTC))
            )
