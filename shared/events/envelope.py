"""The CloudEvent the platform publishes and consumes: attributes plus a typed payload."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from shared.events.registry import REGISTRY

SOURCE_PREFIX = "//api.013a.tech/"
SCHEMA_BASE = "https://api.013a.tech/schemas/events/"
_ID_NAMESPACE = uuid.UUID("6f1c0d4e-5b0a-4c55-9f0e-013a7ec4a1a0")


class EventData(BaseModel):
    """Base of every event payload. A subclass names its CloudEvent `type` and schema
    `version` as class keywords and is registered on definition:

        class TickRequested(EventData, event_type="tech.013a.simulation.tick.requested"):
            simulation_id: str
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_type: ClassVar[str]
    version: ClassVar[int]

    def __init_subclass__(cls, event_type: str = "", version: int = 1, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not event_type:
            raise TypeError(f"{cls.__name__} must declare event_type=...")
        cls.event_type = event_type
        cls.version = version
        REGISTRY.register(cls)

    @classmethod
    def dataschema(cls) -> str:
        return f"{SCHEMA_BASE}{cls.event_type}/v{cls.version}"

    def ordering_key(self) -> str | None:
        """Events with the same key are delivered in publish order. None: unordered."""
        return None

    def subject(self) -> str | None:
        """The CloudEvent `subject`: the resource the event is about."""
        return None


@dataclass(frozen=True)
class Event:
    data: EventData
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    source: str = SOURCE_PREFIX + "aia"
    subject: str | None = None
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    ordering_key: str | None = None

    @property
    def type(self) -> str:
        return self.data.event_type

    @property
    def dataschema(self) -> str:
        return self.data.dataschema()


def new_event(
    data: EventData,
    *,
    source: str = "aia",
    event_id: str | None = None,
    caused_by: str | None = None,
    time: datetime | None = None,
) -> Event:
    """Build an event. With `caused_by` (the id of the event being handled plus a
    discriminator) the id is derived deterministically, so a handler that runs twice
    publishes the same ids and downstream deduplication sees one event."""
    if event_id is None:
        event_id = str(uuid.uuid5(_ID_NAMESPACE, caused_by)) if caused_by else str(uuid.uuid4())
    return Event(
        data=data,
        id=event_id,
        source=SOURCE_PREFIX + source,
        subject=data.subject(),
        time=time or datetime.now(UTC),
        ordering_key=data.ordering_key(),
    )
