"""The dead-letter record: every message that reached the dead-letter topic, kept for
operators to inspect (and replay once the cause is fixed)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from shared.errors import Conflict, NotFound
from shared.events.codec import RawMessage
from shared.events.envelope import new_event
from shared.events.handling import DEAD_LETTER_REASON, DEAD_LETTER_SUBSCRIBER
from shared.events.registry import REGISTRY
from shared.operations.events import DeliveryAbandoned
from shared.ports.clock import Clock
from shared.ports.documents import Document, DocumentStore
from shared.ports.events import EventPublisher
from shared.wiring.manifest import Manifest

log = logging.getLogger("aia.operations")
DEAD_LETTERS = "dead_letters"
_MAX_DATA = 64_000


def dead_letter_id(raw: RawMessage) -> str:
    """Stable per original message, so a redelivered dead letter is recorded once."""
    original = raw.attributes.get("aia-original-message-id") or raw.message_id
    subscriber = raw.attributes.get(DEAD_LETTER_SUBSCRIBER) or raw.attributes.get(
        "CloudPubSubDeadLetterSourceSubscription", ""
    )
    basis = f"{original}:{subscriber}" if original else raw.data.decode(errors="replace")
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def record_dead_letter(
    raw: RawMessage, documents: DocumentStore, events: EventPublisher, clock: Clock
) -> None:
    attrs = raw.attributes
    attempts = attrs.get("CloudPubSubDeadLetterSourceDeliveryCount", "?")
    doc: dict[str, Any] = {
        "event_type": attrs.get("ce-type", "unknown"),
        "event_id": attrs.get("ce-id"),
        "reason": attrs.get(DEAD_LETTER_REASON) or f"delivery attempts exhausted ({attempts})",
        "subscriber": attrs.get(DEAD_LETTER_SUBSCRIBER)
        or attrs.get("CloudPubSubDeadLetterSourceSubscription"),
        "data": raw.data[:_MAX_DATA].decode(errors="replace"),
        "attributes": dict(attrs),
        "ordering_key": raw.ordering_key,
        "recorded_at": clock.now().isoformat(),
    }
    record_id = dead_letter_id(raw)
    created = documents.create(DEAD_LETTERS, record_id, doc)
    announce = doc["event_type"] in REGISTRY.types() - {DeliveryAbandoned.event_type}
    if doc["event_id"] and announce:
        # Tell the feature whose work this was; the id derives from the record, so a
        # redelivered dead letter announces the same event (subscribers apply it once).
        events.publish(
            new_event(
                DeliveryAbandoned(
                    event_type_abandoned=doc["event_type"],
                    event_id=doc["event_id"],
                    reason=doc["reason"][:1000],
                    data=doc["data"],
                ),
                source="record-dead-letter",
                caused_by=f"dead-letter:{record_id}",
            )
        )
    log.warning(
        "dead letter recorded" if created else "dead letter already recorded",
        extra={"dead_letter_reason": doc["reason"], "event_type": doc["event_type"]},
    )


# what an operator's replay leaves off: our dead-letter marks, and Pub/Sub's
_NOT_REPLAYED = {DEAD_LETTER_REASON, DEAD_LETTER_SUBSCRIBER, "aia-original-message-id"}


@dataclass(frozen=True)
class Replayed:
    topic: str
    message_id: str


def recent_dead_letters(
    documents: DocumentStore, limit: int, skip: int = 0
) -> list[tuple[str, Document]]:
    """Up to `limit` records, most recently recorded first, after the `skip` newest."""
    # the document port has no offset: the pages before are read and dropped (an
    # operator's list, short unless something is badly wrong)
    rows = documents.query(
        DEAD_LETTERS, order_by="recorded_at", descending=True, limit=skip + limit
    )
    return rows[skip:]


def replay_dead_letter(
    doc_id: str, documents: DocumentStore, events: EventPublisher, manifest: Manifest, clock: Clock
) -> Replayed:
    """Publish the original message again (after the cause is fixed) and note when. Its
    event id is unchanged, so a subscriber that had already applied it will not apply it
    twice."""
    doc = documents.get(DEAD_LETTERS, doc_id)
    if doc is None:
        raise NotFound("dead letter", doc_id)
    try:
        topic = manifest.topic_for(doc["event_type"])
    except LookupError:
        raise Conflict(f"{doc['event_type']} has no topic: it cannot be replayed") from None
    attributes = {
        k: v
        for k, v in doc["attributes"].items()
        if k not in _NOT_REPLAYED and not k.startswith("CloudPubSubDeadLetter")
    }
    message_id = events.publish_raw(
        topic, doc["data"].encode(), attributes, doc.get("ordering_key")
    )
    replays = [*doc.get("replays", []), clock.now().isoformat()]
    documents.set(DEAD_LETTERS, doc_id, {**doc, "replays": replays})
    log.info("dead letter replayed", extra={"dead_letter_id": doc_id, "topic": topic})
    return Replayed(topic, message_id)
