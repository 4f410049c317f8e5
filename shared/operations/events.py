from __future__ import annotations

from pydantic import Field

from shared.events.envelope import EventData


class PurgeRequested(EventData, event_type="tech.013a.maintenance.purge.requested"):
    """Asks for expired idempotency records to be deleted (hourly schedule)."""

    batch_size: int = Field(default=500, ge=1, le=500)


class OutboxRelayRequested(EventData, event_type="tech.013a.maintenance.outbox.relay.requested"):
    """Asks for events staged in the SQL outbox but not yet published to be published."""

    limit: int = Field(default=500, ge=1, le=5000)
