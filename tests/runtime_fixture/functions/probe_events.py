"""Event types used only by the runtime tests."""

from pydantic import Field

from shared.events.envelope import EventData


class ProbeHappened(EventData, event_type="tech.013a.test.probe.happened"):
    value: int
    key: str | None = None
    fail_times: int = Field(default=0, ge=0)
    follow_up: bool = False

    def ordering_key(self) -> str | None:
        return self.key


class ProbeFollowed(EventData, event_type="tech.013a.test.probe.followed"):
    value: int
