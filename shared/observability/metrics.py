"""Prometheus metrics the platform exports at `/metrics`. Names are stable: the
Grafana dashboards and alert rules in `infra/monitoring` are built on them."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

REGISTRY = CollectorRegistry(auto_describe=True)
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)

http_requests = Counter(
    "aia_http_requests_total",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
    registry=REGISTRY,
)
http_latency = Histogram(
    "aia_http_request_duration_seconds",
    "HTTP request latency, by route template, method and status.",
    ["route", "method", "status"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
events_handled = Counter(
    "aia_events_handled_total",
    "Events a handler applied (replays of an already-applied event included).",
    ["type", "handler", "outcome"],
    registry=REGISTRY,
)
events_failed = Counter(
    "aia_events_failed_total",
    "Event deliveries whose handler raised (the message is redelivered).",
    ["type", "handler"],
    registry=REGISTRY,
)
events_dead_lettered = Counter(
    "aia_events_dead_lettered_total",
    "Events sent to the dead-letter topic, by reason.",
    ["type", "handler", "reason"],
    registry=REGISTRY,
)
events_published = Counter(
    "aia_events_published_total",
    "Events published, by type.",
    ["type"],
    registry=REGISTRY,
)
handler_latency = Histogram(
    "aia_event_handler_duration_seconds",
    "Event handler latency, by type and handler.",
    ["type", "handler"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)


def exposition() -> tuple[bytes, str]:
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
