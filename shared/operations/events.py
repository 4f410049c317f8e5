from __future__ import annotations

from pydantic import Field

from shared.events.envelope import EventData


class PurgeRequested(EventData, event_type="tech.013a.maintenance.purge.requested"):
    """Asks for expired idempotency records to be deleted (hourly schedule)."""

    batch_size: int = Field(default=500, ge=1, le=500)


class OutboxRelayRequested(EventData, event_type="tech.013a.maintenance.outbox.relay.requested"):
    """Asks for events staged in the SQL outbox but not yet published to be published."""

    limit: int = Field(default=500, ge=1, le=5000)


class DeliveryAbandoned(EventData, event_type="tech.013a.operations.delivery.abandoned"):
    """An event reached the dead-letter topic: the work it asked for will not happen
    unless an operator replays it. Features whose jobs end badly this way (a
    simulation's tick) mark the job failed and refund it."""

    event_type_abandoned: str
    event_id: str
    reason: str
    data: str  # the original payload (JSON), truncated to 64 KB
