"""One registry of event types: `type` -> versioned pydantic model of its `data`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.events.envelope import EventData

TYPE_PREFIX = "tech.013a."


class UnknownEventType(LookupError):
    pass


class EventTypeRegistry:
    def __init__(self) -> None:
        self._models: dict[tuple[str, int], type[EventData]] = {}

    def register(self, model: type[EventData]) -> None:
        key = (model.event_type, model.version)
        if not model.event_type.startswith(TYPE_PREFIX):
            raise ValueError(f"event type {model.event_type!r} must start with {TYPE_PREFIX!r}")
        existing = self._models.get(key)
        if existing is not None and existing.__qualname__ != model.__qualname__:
            raise ValueError(f"event type {key} registered twice: {existing} and {model}")
        self._models[key] = model

    def model_for(self, event_type: str, version: int) -> type[EventData]:
        try:
            return self._models[(event_type, version)]
        except KeyError:
            raise UnknownEventType(f"no model for event type {event_type!r} v{version}") from None

    def types(self) -> set[str]:
        return {event_type for event_type, _ in self._models}

    def models(self) -> list[type[EventData]]:
        return list(self._models.values())


REGISTRY = EventTypeRegistry()
