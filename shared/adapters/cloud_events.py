"""Turning one delivery into one handler call, the way every event function does it.

Raise to retry, return to ack: an exception from the handler propagates (the function
answers 500 and Pub/Sub redelivers with backoff, then dead-letters). Input that can
never succeed (malformed, unknown type, invalid data, too old) is logged at ERROR,
forwarded to the dead-letter topic and acknowledged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, TypeVar, cast

from shared.bootstrap.features import Features
from shared.bootstrap.root import current_features
from shared.events.codec import InvalidEvent, RawMessage, decode, raw_from_cloud_event
from shared.events.envelope import Event, EventData
from shared.events.handling import (
    DEAD_LETTER_REASON,
    DEAD_LETTER_SUBSCRIBER,
    Handler,
    HandlerContext,
)
from shared.events.once import apply_once
from shared.observability import metrics
from shared.observability.logging import log_context
from shared.platform import Platform
from shared.ports.documents import DocumentTransaction

log = logging.getLogger("aia.events")
D = TypeVar("D", bound=EventData)
__all__ = ["Handler", "HandlerContext", "consume", "consume_raw", "dead_letter"]


def consume(
    cloud_event: Any,
    handler: Handler[D],
    accepts: type[D] | tuple[type[EventData], ...],
    *,
    name: str,
    features: Features | None = None,
) -> None:
    """Decode a function's CloudEvent, apply `handler` exactly once, publish what it emits."""
    features = features or current_features()
    platform = features.platform
    raw = raw_from_cloud_event(cloud_event.get_attributes(), cloud_event.get_data())
    try:
        event = decode(raw)
    except InvalidEvent as exc:
        dead_letter(platform, raw, exc.reason, name, raw.attributes.get("ce-type", "unknown"))
        return
    if not isinstance(event.data, accepts):
        dead_letter(platform, raw, f"{name} does not accept {event.type}", name, event.type)
        return
    age = platform.clock.now() - event.time
    if age > timedelta(seconds=platform.settings.event_max_age_seconds):
        dead_letter(platform, raw, f"event too old ({age} > max age)", name, event.type)
        return
    data = cast(D, event.data)  # checked against `accepts` just above

    with log_context(event_id=event.id, event_type=event.type, handler=name):
        started = time.perf_counter()

        def apply(tx: DocumentTransaction) -> list[Event]:
            ctx = HandlerContext(event=event, data=data, features=features, tx=tx, handler=name)
            handler(ctx)
            return ctx.emitted

        try:
            outcome = apply_once(
                platform.documents,
                f"{name}:{event.id}",
                apply,
                now=platform.clock.now(),
                ttl=timedelta(seconds=platform.settings.idempotency_ttl_seconds),
            )
            for follow_up in outcome.outputs:
                platform.events.publish(follow_up)
        except Exception:
            metrics.events_failed.labels(event.type, name).inc()
            log.warning(
                "handler failed; the delivery will be retried",
                exc_info=True,
                extra={"delivery_attempt": raw.delivery_attempt},
            )
            raise
        finally:
            metrics.handler_latency.labels(event.type, name).observe(time.perf_counter() - started)
        outcome_label = "replayed" if outcome.replayed else "applied"
        metrics.events_handled.labels(event.type, name, outcome_label).inc()
        log.info("event %s", outcome_label, extra={"delivery_attempt": raw.delivery_attempt})


def consume_raw(
    cloud_event: Any,
    handler: Callable[[RawMessage, Platform], None],
    *,
    features: Features | None = None,
) -> None:
    """For subscribers of opaque messages (the dead-letter topic): no decoding."""
    raw = raw_from_cloud_event(cloud_event.get_attributes(), cloud_event.get_data())
    handler(raw, (features or current_features()).platform)


def dead_letter(
    platform: Platform, raw: RawMessage, reason: str, subscriber: str, event_type: str
) -> None:
    """Forward a message that can never succeed to the dead-letter topic, and ack it."""
    attributes: Mapping[str, str] = {
        **raw.attributes,
        DEAD_LETTER_REASON: reason[:1000],
        DEAD_LETTER_SUBSCRIBER: subscriber,
        "aia-original-message-id": raw.message_id,
    }
    platform.events.publish_raw(
        platform.manifest.dead_letter_topic, raw.data, attributes, raw.ordering_key
    )
    metrics.events_dead_lettered.labels(event_type, subscriber, "invalid").inc()
    log.error(
        "event dead-lettered: %s",
        reason,
        extra={"event_type": event_type, "subscriber": subscriber, "message_id": raw.message_id},
    )
