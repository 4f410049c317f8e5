"""The subscriptions the topology creates are the ones Terraform declares, from the same
manifest (no topology needed: the bodies are computed)."""

from __future__ import annotations

from scripts.topology.cloud_admin import PubSubAdmin
from shared.wiring.manifest import load_manifest


def test_each_event_function_gets_the_manifests_delivery_settings() -> None:
    manifest = load_manifest()
    admin = PubSubAdmin("http://unused", "p", backoff_scale=0.5)
    dead_letters = f"projects/p/topics/{manifest.dead_letter_topic}"
    listeners = [fn for fn in manifest.functions if fn.pubsub is not None]
    assert listeners
    for fn in listeners:
        assert fn.pubsub is not None
        body = admin.subscription(fn, manifest)
        assert body["topic"] == f"projects/p/topics/{fn.pubsub.topic}"
        assert body["enableMessageOrdering"] is fn.pubsub.ordering
        assert body["ackDeadlineSeconds"] == fn.pubsub.ack_deadline_seconds
        retry = fn.pubsub.retry
        assert body["retryPolicy"] == {
            "minimumBackoff": f"{retry.minimum_backoff_seconds * 0.5:g}s",
            "maximumBackoff": f"{retry.maximum_backoff_seconds * 0.5:g}s",
        }
        if fn.pubsub.topic == manifest.dead_letter_topic:
            assert "deadLetterPolicy" not in body  # it would loop (as in pubsub.tf)
        else:
            assert body["deadLetterPolicy"] == {
                "deadLetterTopic": dead_letters,
                "maxDeliveryAttempts": fn.pubsub.max_delivery_attempts,
            }
    orderly = [fn.name for fn in listeners if fn.pubsub and fn.pubsub.ordering]
    assert "advance-simulation" in orderly
