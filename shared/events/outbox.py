"""The transactional outbox: events a use case must publish are staged in the same
database transaction as its state change, published right after the commit, and
relayed by a scheduled job if that publish failed. So a stored change never loses
its event, and an event never announces a change that was rolled back."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from shared.events.envelope import Event
from shared.ports.events import EventPublisher

log = logging.getLogger("aia.outbox")


@dataclass(frozen=True)
class OutboxBacklog:
    """What the outbox holds unpublished: how many rows and since when."""

    unpublished: int
    oldest_staged_at: datetime | None


class Outbox(Protocol):
    def pending(self, limit: int) -> list[Event]:
        """Staged events not yet published, oldest first."""
        ...

    def backlog(self) -> OutboxBacklog:
        """Counts the unpublished rows (an operator's view; reads no event bodies)."""
        ...

    def mark_published(self, event_ids: Sequence[str]) -> None: ...


def publish_staged(outbox: Outbox, publisher: EventPublisher, events: Sequence[Event]) -> int:
    """Publish just-committed events now. A failure is not the caller's failure: the
    change is stored and the relay publishes the event later, so we log and go on."""
    published = []
    for event in events:
        try:
            publisher.publish(event)
        except Exception:
            log.warning("publish deferred to the outbox relay", exc_info=True)
            break
        published.append(event.id)
    if published:
        outbox.mark_published(published)
    return len(published)


def relay(outbox: Outbox, publisher: EventPublisher, limit: int = 500) -> int:
    """Publish what is still staged (the scheduled relay job). Raises on failure so the
    job is retried; events already published are marked and never sent twice by us
    (consumers deduplicate by event id anyway)."""
    events = outbox.pending(limit)
    for event in events:
        publisher.publish(event)
        outbox.mark_published([event.id])
    return len(events)
