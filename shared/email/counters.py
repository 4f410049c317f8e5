"""Email counters on the platform's registry (exported at /metrics). The failed-email
alert is built on `aia_emails_failed_total` (labels type, reason)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from shared.observability.metrics import REGISTRY

emails_sent = Counter(
    "aia_emails_sent_total",
    "Emails handed to a delivery adapter, by email type and adapter.",
    ["type", "backend"],
    registry=REGISTRY,
)
emails_failed = Counter(
    "aia_emails_failed_total",
    "Email deliveries that failed, by type and reason (transient: retried; permanent).",
    ["type", "reason"],
    registry=REGISTRY,
)
emails_suppressed = Counter(
    "aia_emails_suppressed_total",
    "Emails not sent, by type and reason (unsubscribed, preference, hard_bounce, "
    "complaint, soft_bounce, active, no_recipient).",
    ["type", "reason"],
    registry=REGISTRY,
)
emails_duplicates = Counter(
    "aia_emails_duplicate_sends_total",
    "Send steps that ran again for a key already settled (nothing was sent twice).",
    ["type"],
    registry=REGISTRY,
)
send_latency = Histogram(
    "aia_email_send_duration_seconds",
    "Duration of one send step (checks, render, delivery), by type.",
    ["type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
