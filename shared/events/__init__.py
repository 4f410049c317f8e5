"""CloudEvents for the platform: versioned pydantic payloads, one registry of types,
the Pub/Sub wire format, and the consumer that turns a delivery into a handler call."""

from shared.events.envelope import Event, EventData, new_event
from shared.events.registry import REGISTRY, EventTypeRegistry, UnknownEventType

__all__ = ["REGISTRY", "Event", "EventData", "EventTypeRegistry", "UnknownEventType", "new_event"]
