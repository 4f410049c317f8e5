"""EventPublisher contract: SqliteEventBus and PubSubPublisher (on the Pub/Sub stand-in)
put the same CloudEvent messages on the topic the manifest gives the event's type.

The last test is Pub/Sub only: the subscription settings the manifest asks for
(dead-letter topic, max delivery attempts, retry) do what they promise. The embedded
bus's own dead-lettering is the local runtime's job and is tested with it."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import UTC, datetime
from typing import Any

import pytest

from shared.events.codec import decode
from shared.events.envelope import new_event

from .conftest import (
    DEAD_LETTER_TOPIC,
    LISTENER,
    MANIFEST,
    PING,
    PINGS_TOPIC,
    ContractPing,
    EventsHarness,
    PubSubTestBroker,
    unique,
)


def test_publish_puts_a_cloudevent_on_the_manifest_topic(events: EventsHarness) -> None:
    event = new_event(
        ContractPing(key="k1", n=7, note="hé"),
        source="contract",
        time=datetime(2026, 3, 4, 5, 6, 7, 123000, tzinfo=UTC),
    )
    message_id = events.publisher.publish(event)
    assert message_id

    (raw,) = events.arrived(PINGS_TOPIC, 1)
    assert raw.message_id == message_id
    assert raw.ordering_key == "k1"
    assert json.loads(raw.data) == {"key": "k1", "n": 7, "note": "hé"}
    assert raw.attributes == {
        "ce-specversion": "1.0",
        "ce-id": event.id,
        "ce-type": PING,
        "ce-source": "//api.013a.tech/contract",
        "ce-time": "2026-03-04T05:06:07.123000Z",
        "ce-dataschema": f"https://api.013a.tech/schemas/events/{PING}/v1",
        "ce-subject": "pings/k1",
        "content-type": "application/json",
    }
    decoded = decode(raw)
    assert decoded.id == event.id
    assert decoded.data == event.data
    assert decoded.subject == "pings/k1"
    assert decoded.time == event.time
    assert decoded.ordering_key == "k1"
    assert events.arrived(DEAD_LETTER_TOPIC, 0) == []


def test_same_ordering_key_arrives_in_publish_order(events: EventsHarness) -> None:
    published = [
        events.publisher.publish(new_event(ContractPing(key="seq", n=n))) for n in range(5)
    ]
    arrived = events.arrived(PINGS_TOPIC, 5)
    assert [json.loads(m.data)["n"] for m in arrived] == [0, 1, 2, 3, 4]
    assert [m.message_id for m in arrived] == published
    assert {m.ordering_key for m in arrived} == {"seq"}


def test_publish_raw_forwards_opaque_messages(events: EventsHarness) -> None:
    attributes = {"ce-type": "not.ours", "reason": "unparseable", "content-type": "text/plain"}
    message_id = events.publisher.publish_raw(DEAD_LETTER_TOPIC, b"\x00not json\xff", attributes)
    keyed = events.publisher.publish_raw(DEAD_LETTER_TOPIC, b"second", {"a": "b"}, "key-1")
    arrived = events.arrived(DEAD_LETTER_TOPIC, 2)
    assert [(m.message_id, m.data, dict(m.attributes), m.ordering_key) for m in arrived] == [
        (message_id, b"\x00not json\xff", attributes, None),
        (keyed, b"second", {"a": "b"}, "key-1"),
    ]


def test_unknown_topic_and_type_are_refused(events: EventsHarness) -> None:
    with pytest.raises(LookupError):
        events.publisher.publish_raw("no-such-topic", b"x", {})

    class Unwired(ContractPing, event_type="tech.013a.test.contract.unwired"):
        pass

    with pytest.raises(LookupError):
        events.publisher.publish(new_event(Unwired(key="x")))


def test_ping(events: EventsHarness) -> None:
    events.publisher.ping()


# --- Pub/Sub only: the dead-letter settings the manifest asks for -------------------------
def subscription_resource(project: str, function_name: str) -> dict[str, object]:
    """A subscription as infra/ builds it from the manifest (REST field names)."""
    fn = MANIFEST.function(function_name)
    assert fn.pubsub is not None
    trigger = fn.pubsub
    return {
        "name": f"projects/{project}/subscriptions/{fn.subscription}",
        "topic": f"projects/{project}/topics/{trigger.topic}",
        "ackDeadlineSeconds": trigger.ack_deadline_seconds,
        "enableMessageOrdering": trigger.ordering,
        "deadLetterPolicy": {
            "deadLetterTopic": f"projects/{project}/topics/{MANIFEST.dead_letter_topic}",
            "maxDeliveryAttempts": trigger.max_delivery_attempts,
        },
        "retryPolicy": {
            "minimumBackoff": f"{trigger.retry.minimum_backoff_seconds:g}s",
            "maximumBackoff": f"{trigger.retry.maximum_backoff_seconds:g}s",
        },
    }


@pytest.mark.emulator
def test_pubsub_dead_letters_after_max_delivery_attempts(
    cloudbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shared.adapters.gcp.pubsub import PubSubPublisher

    box = cloudbox
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", box.pubsub_host)
    broker = PubSubTestBroker(unique("contract"))
    for topic in (PINGS_TOPIC, DEAD_LETTER_TOPIC):
        broker.create_topic(topic)
    broker.create_subscription("dead-all", DEAD_LETTER_TOPIC)
    # The gRPC CreateSubscription of the stand-in drops dead-letter and retry settings;
    # its REST API keeps them (and they then apply to gRPC pulls too).
    body = subscription_resource(broker.project, LISTENER)
    request = urllib.request.Request(
        f"{box.pubsub_rest}/v1/{body['name']}",
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        created = json.loads(response.read())
    assert created["deadLetterPolicy"]["maxDeliveryAttempts"] == 5
    # (Its gRPC GetSubscription does not show them either: the behaviour below proves them.)

    publisher = PubSubPublisher(broker.project, MANIFEST)
    event = new_event(ContractPing(key="doomed", n=1))
    publisher.publish(event)

    sub = f"{LISTENER}-sub"
    attempts: list[int] = []
    deadline = time.monotonic() + 15
    while len(attempts) < 5 and time.monotonic() < deadline:
        for received in broker.pull_once(sub):
            assert received.message.attributes["ce-id"] == event.id
            attempts.append(received.delivery_attempt)
            broker.subscriber.modify_ack_deadline(  # nack: the handler failed
                request={
                    "subscription": broker.subscription(sub),
                    "ack_ids": [received.ack_id],
                    "ack_deadline_seconds": 0,
                }
            )
    assert attempts == [1, 2, 3, 4, 5]

    # Not delivered a sixth time. (The stand-in moves the message to the dead-letter
    # topic lazily, on this next pull of its subscription; Pub/Sub does it by itself.)
    assert broker.pull_once(sub) == []
    (dead,) = broker.pull("dead-all", 1)
    assert dead.attributes["ce-id"] == event.id
    assert decode(dead).data == event.data
    publisher.close()
    broker.close()
