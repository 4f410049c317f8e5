"""The latency summary every benchmark reports (milliseconds)."""

from __future__ import annotations

import statistics


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99/max in ms of `samples` given in seconds."""
    ordered = sorted(samples)

    def at(fraction: float) -> float:
        return round(ordered[max(0, int(len(ordered) * fraction) - 1)] * 1000, 3)

    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "max_ms": round(ordered[-1] * 1000, 3),
        "n": len(ordered),
    }
