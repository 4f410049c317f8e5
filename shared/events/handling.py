"""What an event handler is given: the event, the process's features, and a document
transaction whose writes commit with the processed-event marker. How a delivery becomes
one handler call is the trigger adapter's job (`shared.adapters.cloud_events.consume`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from shared.events.envelope import Event, EventData, new_event
from shared.platform import Platform
from shared.ports.documents import DocumentTransaction

if TYPE_CHECKING:  # the root is above this layer: only its type is named here
    from shared.bootstrap.features import Features

D = TypeVar("D", bound=EventData)

# Attributes a dead-lettered message carries (operators read them).
DEAD_LETTER_REASON = "aia-dead-letter-reason"
DEAD_LETTER_SUBSCRIBER = "aia-dead-letter-subscriber"


@dataclass
class HandlerContext(Generic[D]):
    """What a handler gets: the event, the features of the process (and their platform's
    ports), and a document transaction whose writes commit together with the
    processed-event marker."""

    event: Event
    data: D
    features: Features
    tx: DocumentTransaction
    handler: str
    emitted: list[Event] = field(default_factory=list)

    def emit(self, data: EventData, discriminator: str = "") -> Event:
        """Queue a follow-up event, published after the transaction commits. Its id is
        derived from this event's id, so a replay re-publishes the same event."""
        index = len(self.emitted)
        event = new_event(
            data,
            source=self.handler,
            caused_by=f"{self.event.id}:{self.handler}:{index}:{discriminator}",
            time=self.platform.clock.now(),
        )
        self.emitted.append(event)
        return event

    @property
    def platform(self) -> Platform:
        return self.features.platform


Handler = Callable[[HandlerContext[D]], None]
