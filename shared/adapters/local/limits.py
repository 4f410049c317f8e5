"""In-process rate limiting for `make run` (one process, so one counter is exact)."""

from __future__ import annotations

import math
import threading

from shared.ports.clock import Clock
from shared.ports.limits import Decision


class InProcessRateLimiter:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, window_seconds: int) -> Decision:
        now = self._clock.now().timestamp()
        window = int(now // window_seconds)
        with self._lock:
            if len(self._counts) > 100_000:  # forget old windows
                self._counts = {k: v for k, v in self._counts.items() if k[1] >= window}
            count = self._counts.get((key, window), 0) + 1
            self._counts[(key, window)] = count
        reset_in = math.ceil((window + 1) * window_seconds - now)
        return Decision(count <= limit, max(0, limit - count), reset_in if count > limit else 0)

    def peek(self, key: str, limit: int, window_seconds: int) -> Decision:
        now = self._clock.now().timestamp()
        window = int(now // window_seconds)
        with self._lock:
            count = self._counts.get((key, window), 0)
        reset_in = math.ceil((window + 1) * window_seconds - now)
        return Decision(count < limit, max(0, limit - count), reset_in if count >= limit else 0)

    def ping(self) -> None:
        return None
