"""The wire format: CloudEvents over Pub/Sub in binary content mode (the CloudEvents
Pub/Sub protocol binding): JSON `data` as the message body, attributes `ce-*`."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import ValidationError

from shared.events.envelope import Event
from shared.events.registry import REGISTRY, UnknownEventType
from shared.observability import metrics

if TYPE_CHECKING:
    from shared.wiring.manifest import Manifest

PUBSUB_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished"
_VERSION = re.compile(r"/v(\d+)$")


class InvalidEvent(ValueError):
    """A delivery that can never succeed: malformed, unknown type, or invalid data.
    It is dead-lettered, never retried."""

    def __init__(self, reason: str, raw: RawMessage) -> None:
        super().__init__(reason)
        self.reason = reason
        self.raw = raw


@dataclass(frozen=True)
class RawMessage:
    data: bytes
    attributes: Mapping[str, str]
    message_id: str = ""
    ordering_key: str | None = None
    publish_time: str | None = None
    delivery_attempt: int = 1
    subscription: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def encode(event: Event) -> RawMessage:
    attributes = {
        "ce-specversion": "1.0",
        "ce-id": event.id,
        "ce-type": event.type,
        "ce-source": event.source,
        "ce-time": event.time.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "ce-dataschema": event.dataschema,
        "content-type": "application/json",
    }
    if event.subject:
        attributes["ce-subject"] = event.subject
    data = event.data.model_dump_json().encode()
    return RawMessage(data=data, attributes=attributes, ordering_key=event.ordering_key)


def decode(raw: RawMessage) -> Event:
    attrs = raw.attributes
    event_type = attrs.get("ce-type")
    if not event_type:
        raise InvalidEvent("message has no ce-type attribute", raw)
    match = _VERSION.search(attrs.get("ce-dataschema", ""))
    version = int(match.group(1)) if match else 1
    try:
        model = REGISTRY.model_for(event_type, version)
    except UnknownEventType as exc:
        raise InvalidEvent(str(exc), raw) from None
    try:
        payload = json.loads(raw.data or b"null")
        data = model.model_validate(payload)
    except (ValueError, ValidationError) as exc:
        raise InvalidEvent(f"invalid data for {event_type} v{version}: {exc}", raw) from None
    event_id = attrs.get("ce-id") or raw.message_id
    if not event_id:
        raise InvalidEvent("message has neither ce-id nor a message id", raw)
    return Event(
        data=data,
        id=event_id,
        source=attrs.get("ce-source", "//pubsub.googleapis.com"),
        subject=attrs.get("ce-subject"),
        time=_parse_time(attrs.get("ce-time") or raw.publish_time),
        ordering_key=raw.ordering_key,
    )


def raw_from_cloud_event(attributes: Mapping[str, Any], data: Any) -> RawMessage:
    """What a function receives, back to the message: either Eventarc's
    `messagePublished` wrapper around a Pub/Sub message (production), or one of our
    CloudEvents posted directly in binary or structured mode (tests, tasks)."""
    if attributes.get("type") == PUBSUB_PUBLISHED:
        body = data if isinstance(data, dict) else {}
        message = body.get("message") or {}
        try:
            payload = base64.b64decode(message.get("data") or "", validate=True)
        except (binascii.Error, ValueError):
            payload = b""
        return RawMessage(
            data=payload,
            attributes=dict(message.get("attributes") or {}),
            message_id=str(message.get("messageId") or message.get("message_id") or ""),
            ordering_key=message.get("orderingKey") or message.get("ordering_key") or None,
            publish_time=message.get("publishTime") or message.get("publish_time"),
            delivery_attempt=int(body.get("deliveryAttempt") or 1),
            subscription=body.get("subscription"),
        )
    ce_attrs = {f"ce-{k}": str(v) for k, v in attributes.items() if v is not None}
    payload = bytes(data) if isinstance(data, bytes | bytearray) else json.dumps(data).encode()
    return RawMessage(
        data=payload,
        attributes=ce_attrs,
        message_id=str(attributes.get("id", "")),
        ordering_key=attributes.get("orderingkey"),
    )


def pubsub_push_body(raw: RawMessage, subscription: str) -> dict[str, Any]:
    """The body Pub/Sub (via Eventarc) hands to a function for one message."""
    message: dict[str, Any] = {
        "data": base64.b64encode(raw.data).decode(),
        "attributes": dict(raw.attributes),
        "messageId": raw.message_id,
        "publishTime": raw.publish_time,
    }
    if raw.ordering_key:
        message["orderingKey"] = raw.ordering_key
    return {
        "message": message,
        "subscription": subscription,
        "deliveryAttempt": raw.delivery_attempt,
    }


def _parse_time(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class RawPublish(Protocol):
    def __call__(
        self,
        topic: str,
        data: bytes,
        attributes: Mapping[str, str],
        ordering_key: str | None = None,
    ) -> str: ...


def publish_event(publish_raw: RawPublish, manifest: Manifest, event: Event) -> str:
    """Every publisher's `publish`: encode, route by the manifest, count."""
    raw = encode(event)
    message_id = publish_raw(
        manifest.topic_for(event.type), raw.data, raw.attributes, raw.ordering_key
    )
    metrics.events_published.labels(event.type).inc()
    return message_id
