from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from shared.events.envelope import Event


class EventPublisher(Protocol):
    """Publishes CloudEvents to the topic the wiring manifest gives their type."""

    def publish(self, event: Event) -> str:
        """Publish and return the broker's message id. Raises on failure (retry)."""
        ...

    def publish_raw(
        self,
        topic: str,
        data: bytes,
        attributes: Mapping[str, str],
        ordering_key: str | None = None,
    ) -> str:
        """Publish an opaque message (dead-lettering forwards what it could not parse)."""
        ...

    def ping(self) -> None: ...
