"""Rate limiting on Redis (Memorystore): one counter per key and window, shared by
every instance of every service, expiring with its window."""

from __future__ import annotations

import redis

from shared.ports.limits import Decision


class RedisRateLimiter:
    def __init__(self, url: str, prefix: str = "aia:rl:") -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._prefix = prefix

    def hit(self, key: str, limit: int, window_seconds: int) -> Decision:
        name = self._prefix + key
        pipe = self._redis.pipeline(transaction=True)
        pipe.incr(name)
        pipe.expire(name, window_seconds, nx=True)
        pipe.ttl(name)
        count, _, ttl = pipe.execute()
        count = int(count)
        ttl = int(ttl) if int(ttl) > 0 else window_seconds
        return Decision(count <= limit, max(0, limit - count), ttl if count > limit else 0)

    def peek(self, key: str, limit: int, window_seconds: int) -> Decision:
        name = self._prefix + key
        pipe = self._redis.pipeline(transaction=True)
        pipe.get(name)
        pipe.ttl(name)
        raw, ttl = pipe.execute()
        count = int(raw or 0)
        ttl = int(ttl) if int(ttl) > 0 else window_seconds
        return Decision(count < limit, max(0, limit - count), ttl if count >= limit else 0)

    def ping(self) -> None:
        self._redis.ping()
