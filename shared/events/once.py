"""Apply-once: the processed-event marker is written in the same transaction as the
handler's state change, so a redelivered event changes nothing. The follow-up events
a handler emits are stored with the marker and re-published on a replay (their ids
are deterministic, so downstream deduplication sees each once)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared.events.codec import RawMessage, decode, encode
from shared.events.envelope import Event
from shared.ports.documents import DocumentStore, DocumentTransaction

PROCESSED = "processed_events"


@dataclass
class Outcome:
    outputs: list[Event] = field(default_factory=list)
    replayed: bool = False


def marker_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def apply_once(
    store: DocumentStore,
    key: str,
    fn: Callable[[DocumentTransaction], list[Event]],
    *,
    now: datetime,
    ttl: timedelta,
) -> Outcome:
    doc_id = marker_id(key)

    def attempt(tx: DocumentTransaction) -> Outcome:
        record = tx.get(PROCESSED, doc_id)
        if record is not None:
            return Outcome([_restore(o) for o in record.get("outputs", [])], replayed=True)
        outputs = fn(tx)
        tx.create(
            PROCESSED,
            doc_id,
            {
                "key": key,
                "processed_at": now.isoformat(),
                "expires_at": (now + ttl).isoformat(),
                "outputs": [_store(e) for e in outputs],
            },
        )
        return Outcome(outputs)

    return store.run_transaction(attempt)


def _store(event: Event) -> dict[str, Any]:
    raw = encode(event)
    return {
        "data": raw.data.decode(),
        "attributes": dict(raw.attributes),
        "ordering_key": raw.ordering_key,
    }


def _restore(stored: dict[str, Any]) -> Event:
    return decode(
        RawMessage(
            data=stored["data"].encode(),
            attributes=stored["attributes"],
            ordering_key=stored.get("ordering_key"),
        )
    )
