"""The operators' view of the event pipeline: what the outbox still holds, what was
dead-lettered (by type, over a window), and this instance's error counters. Read-only."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from shared.api.spec import ApiRequest, route
from shared.events.outbox import Outbox
from shared.observability.error_rates import error_counts
from shared.operations.dead_letters import DEAD_LETTERS
from shared.ports.documents import DocumentStore

# Dead letters are read as documents (the port has no count): past this many in the
# window the counts are marked incomplete rather than reading without bound.
DEAD_LETTERS_COUNTED = 5_000


class BacklogQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hours: int = Field(
        default=24,
        ge=1,
        le=24 * 30,
        description="Dead letters recorded in this many hours before now are counted",
    )


class OutboxState(BaseModel):
    unpublished: int = Field(description="Events staged in the outbox and not yet published")
    oldest_staged_at: datetime | None = Field(
        description="When the oldest unpublished event was staged (UTC); null if none"
    )
    oldest_age_seconds: float | None = Field(
        description="How long the oldest unpublished event has waited; null if none"
    )


class DeadLetterCount(BaseModel):
    event_type: str = Field(description="The CloudEvent type; `unknown` if it had none")
    recorded: int = Field(description="Dead letters of this type recorded in the window")
    not_replayed: int = Field(description="Of those, the ones no operator has replayed yet")


class DeadLetterCounts(BaseModel):
    window_start: datetime = Field(description="Start of the window counted (UTC)")
    complete: bool = Field(
        description="False when the window held more dead letters than are counted at once "
        "(then the counts cover the most recent ones)"
    )
    by_type: list[DeadLetterCount] = Field(description="Per event type, the most first")


class EventErrorRate(BaseModel):
    event_type: str = Field(description="The CloudEvent type")
    handled: int = Field(description="Deliveries a handler applied")
    failed: int = Field(description="Deliveries whose handler raised (they are redelivered)")
    dead_lettered: int = Field(description="Deliveries sent to the dead-letter topic")
    error_rate: float = Field(
        description="(failed + dead_lettered) / all deliveries, 0 to 1; 0 when there were none"
    )


class ErrorRates(BaseModel):
    scope: str = Field(description="Whose counters these are: this instance, since it started")
    http_requests: int = Field(description="HTTP requests answered")
    http_client_errors: int = Field(description="Of those, answered 4xx (the caller's error)")
    http_server_errors: int = Field(description="Of those, answered 5xx (ours)")
    http_server_error_rate: float = Field(
        description="http_server_errors / http_requests, 0 to 1; 0 when there were none"
    )
    events: list[EventErrorRate] = Field(description="Per event type handled here")


class EventBacklog(BaseModel):
    checked_at: datetime = Field(description="When these figures were read (UTC)")
    outbox: OutboxState = Field(description="The transactional outbox's unpublished rows")
    dead_letters: DeadLetterCounts = Field(description="Dead letters recorded in the window")
    error_rates: ErrorRates = Field(description="Error counts from the Prometheus counters")


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _dead_letter_counts(documents: DocumentStore, since: datetime) -> DeadLetterCounts:
    # recorded_at is stored as ISO 8601 UTC text, so text order is time order
    rows = documents.query(
        DEAD_LETTERS,
        [("recorded_at", ">=", since.isoformat())],
        order_by="recorded_at",
        descending=True,
        limit=DEAD_LETTERS_COUNTED + 1,
    )
    counted = rows[:DEAD_LETTERS_COUNTED]
    recorded = Counter(str(doc.get("event_type", "unknown")) for _, doc in counted)
    open_ = Counter(
        str(doc.get("event_type", "unknown")) for _, doc in counted if not doc.get("replays")
    )
    return DeadLetterCounts(
        window_start=since,
        complete=len(rows) <= DEAD_LETTERS_COUNTED,
        by_type=[
            DeadLetterCount(event_type=t, recorded=n, not_replayed=open_[t])
            for t, n in sorted(recorded.items(), key=lambda item: (-item[1], item[0]))
        ],
    )


def _error_rates() -> ErrorRates:
    counts = error_counts()
    return ErrorRates(
        scope="this instance, since it started",
        http_requests=counts.http_requests,
        http_client_errors=counts.http_client_errors,
        http_server_errors=counts.http_server_errors,
        http_server_error_rate=_rate(counts.http_server_errors, counts.http_requests),
        events=[
            EventErrorRate(
                event_type=event_type,
                handled=e.handled,
                failed=e.failed,
                dead_lettered=e.dead_lettered,
                error_rate=_rate(
                    e.failed + e.dead_lettered, e.handled + e.failed + e.dead_lettered
                ),
            )
            for event_type, e in counts.events.items()
        ],
    )


def backlog_now(
    outbox: Outbox, documents: DocumentStore, now: datetime, hours: int
) -> EventBacklog:
    """The backlog as of `now`, dead letters counted over the `hours` before (the admin
    API and the console's health page)."""
    backlog = outbox.backlog()
    oldest = backlog.oldest_staged_at
    return EventBacklog(
        checked_at=now,
        outbox=OutboxState(
            unpublished=backlog.unpublished,
            oldest_staged_at=oldest,
            # staging stamps the wall clock, not the platform's: never a negative wait
            oldest_age_seconds=None if oldest is None else max(0.0, (now - oldest).total_seconds()),
        ),
        dead_letters=_dead_letter_counts(documents, now - timedelta(hours=hours)),
        error_rates=_error_rates(),
    )


def event_backlog(req: ApiRequest[None, BacklogQuery]) -> EventBacklog:
    platform = req.platform
    return backlog_now(
        req.features.outbox, platform.documents, platform.clock.now(), req.query.hours
    )


ROUTES = [
    route(
        "GET",
        "/v1/admin/events/backlog",
        event_backlog,
        "Event backlog and error rates: unpublished outbox rows, dead letters by type, "
        "this instance's error counters",
        "admin",
        query=BacklogQuery,
        response=EventBacklog,
        auth="admin",
    ),
]
