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

    def peek(self, key: str, limit: int, window_seconds: int) -> Decision:
        """Whether `key` has budget left in its window, without counting: a budget spent
        only by some outcomes (a miss) is checked before the work and hit after it."""
        ...

    def ping(self) -> None: ...
