from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, select, update

from shared.adapters.sql.schema import outbox
from shared.events.codec import RawMessage, decode, encode
from shared.events.envelope import Event


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

    def mark_published(self, event_ids: Sequence[str]) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.event_id.in_(list(event_ids)))
                .values(published_at=datetime.now(UTC))
            )
