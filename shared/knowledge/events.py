"""Events of the knowledge graph."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.events.envelope import EventData


class GraphUpdated(EventData, event_type="tech.013a.graph.updated"):
    """A registry was imported or removed: instances recompile their index."""

    generation: int = Field(ge=1)
    registry: str = Field(min_length=1, max_length=80)
    action: Literal["imported", "deleted"]

    def subject(self) -> str | None:
        return f"graph/registries/{self.registry}"
