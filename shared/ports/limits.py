from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    retry_after: int  # seconds until the window resets (when not allowed)


class RateLimiter(Protocol):
    """Fixed-window request counting (Memorystore Redis in production)."""

    def hit(self, key: str, limit: int, window_seconds: int) -> Decision: ...

    def ping(self) -> None: ...
