"""Error rates read back from this process's own Prometheus counters (metrics.py).

The counters live in the process: on Cloud Run each instance has its own since it
started, so these figures are one instance's view; Prometheus (infra/monitoring) has
the fleet's. They are what an operator's page can show without a metrics backend."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry

from shared.observability.metrics import REGISTRY


@dataclass(frozen=True)
class EventTypeErrors:
    """One event type's deliveries: applied, raised (redelivered), dead-lettered."""

    handled: int = 0
    failed: int = 0
    dead_lettered: int = 0


@dataclass(frozen=True)
class ErrorCounts:
    http_requests: int
    http_client_errors: int  # 4xx: the caller's fault, shown apart from ours
    http_server_errors: int
    events: dict[str, EventTypeErrors] = field(default_factory=dict)


def _samples(registry: CollectorRegistry, name: str) -> list[tuple[dict[str, str], float]]:
    return [
        (sample.labels, sample.value)
        for metric in registry.collect()
        for sample in metric.samples
        if sample.name == name
    ]


def error_counts(registry: CollectorRegistry = REGISTRY) -> ErrorCounts:
    http = _samples(registry, "aia_http_requests_total")
    by_type: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for kind, name in (
        ("handled", "aia_events_handled_total"),
        ("failed", "aia_events_failed_total"),
        ("dead_lettered", "aia_events_dead_lettered_total"),
    ):
        for labels, value in _samples(registry, name):
            by_type[labels.get("type", "unknown")][kind] += value
    return ErrorCounts(
        http_requests=int(sum(value for _, value in http)),
        http_client_errors=int(
            sum(value for labels, value in http if labels.get("status", "").startswith("4"))
        ),
        http_server_errors=int(
            sum(value for labels, value in http if labels.get("status", "").startswith("5"))
        ),
        events={
            event_type: EventTypeErrors(
                handled=int(counts["handled"]),
                failed=int(counts["failed"]),
                dead_lettered=int(counts["dead_lettered"]),
            )
            for event_type, counts in sorted(by_type.items())
        },
    )
