"""What Terraform creates in production, created from the manifest on the stand-ins: the
topics and one subscription per event function (over REST: the stand-in keeps retry and
dead-letter policies only for subscriptions created that way), the operators' dead-letter
pull subscription, the secrets the functions need, and the Cloud Tasks queues."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from typing import Any

import requests

from shared.wiring.manifest import Function, Manifest

DEAD_LETTER_PULL = "dead-letters-pull"  # infra/modules/platform/pubsub.tf, the same name


@dataclass(frozen=True)
class PubSubAdmin:
    rest: str  # http://host:port of the stand-in's Pub/Sub REST API
    project: str
    # Backoff durations are multiplied by this (tests: 0.001, so 10 attempts take seconds).
    backoff_scale: float = 1.0

    def topic_path(self, name: str) -> str:
        return f"projects/{self.project}/topics/{name}"

    def subscription_path(self, name: str) -> str:
        return f"projects/{self.project}/subscriptions/{name}"

    def _put(self, path: str, body: dict[str, Any]) -> None:
        reply = requests.put(f"{self.rest}/v1/{path}", json={"name": path, **body}, timeout=10)
        reply.raise_for_status()

    def create_from(self, manifest: Manifest) -> None:
        for topic in manifest.topics:
            self._put(self.topic_path(topic.name), {})
        for fn in manifest.functions:
            if fn.pubsub is not None:
                self._put(self.subscription_path(fn.subscription), self.subscription(fn, manifest))
        self._put(
            self.subscription_path(DEAD_LETTER_PULL),
            {
                "topic": self.topic_path(manifest.dead_letter_topic),
                "ackDeadlineSeconds": 60,
                "retainAckedMessages": True,
            },
        )

    def subscription(self, fn: Function, manifest: Manifest) -> dict[str, Any]:
        """The subscription infra/modules/platform/pubsub.tf declares, without push_config:
        the relay pushes (the stand-in pushes only what is published over REST, once)."""
        assert fn.pubsub is not None
        retry = fn.pubsub.retry
        body: dict[str, Any] = {
            "topic": self.topic_path(fn.pubsub.topic),
            "ackDeadlineSeconds": fn.pubsub.ack_deadline_seconds,
            "enableMessageOrdering": fn.pubsub.ordering,
            "retryPolicy": {
                "minimumBackoff": f"{retry.minimum_backoff_seconds * self.backoff_scale:g}s",
                "maximumBackoff": f"{retry.maximum_backoff_seconds * self.backoff_scale:g}s",
            },
        }
        # The dead-letter topic's own subscriber gets no dead-letter policy (it would loop).
        if fn.pubsub.topic != manifest.dead_letter_topic:
            body["deadLetterPolicy"] = {
                "deadLetterTopic": self.topic_path(manifest.dead_letter_topic),
                "maxDeliveryAttempts": fn.pubsub.max_delivery_attempts,
            }
        return body

    def pull(self, subscription: str, max_messages: int = 10) -> list[dict[str, Any]]:
        reply = requests.post(
            f"{self.rest}/v1/{self.subscription_path(subscription)}:pull",
            json={"maxMessages": max_messages},
            timeout=10,
        )
        reply.raise_for_status()
        received: list[dict[str, Any]] = reply.json().get("receivedMessages") or []
        return received

    def acknowledge(self, subscription: str, ack_ids: list[str]) -> None:
        requests.post(
            f"{self.rest}/v1/{self.subscription_path(subscription)}:acknowledge",
            json={"ackIds": ack_ids},
            timeout=10,
        ).raise_for_status()

    def nack(self, subscription: str, ack_ids: list[str]) -> None:
        requests.post(
            f"{self.rest}/v1/{self.subscription_path(subscription)}:modifyAckDeadline",
            json={"ackIds": ack_ids, "ackDeadlineSeconds": 0},
            timeout=10,
        ).raise_for_status()


def create_secrets(endpoint: str, project: str, values: dict[str, str]) -> None:
    """Store each secret (one version) in the Secret Manager stand-in, over its REST API."""
    for name, value in values.items():
        requests.post(
            f"{endpoint}/v1/projects/{project}/secrets",
            params={"secretId": name},
            json={"replication": {"automatic": {}}},
            timeout=10,
        ).raise_for_status()
        payload = {"payload": {"data": base64.b64encode(value.encode()).decode()}}
        requests.post(
            f"{endpoint}/v1/projects/{project}/secrets/{name}:addVersion",
            json=payload,
            timeout=10,
        ).raise_for_status()


def generated_secrets() -> dict[str, str]:
    """What a first deploy puts in Secret Manager by hand: the token signing keys and the
    unsubscribe links' key, generated fresh for each topology."""
    from shared.accounts.tokens import KeyRing
    from shared.bootstrap.accounts import SIGNING_KEYS_SECRET
    from shared.bootstrap.email import UNSUBSCRIBE_KEY_SECRET

    return {
        SIGNING_KEYS_SECRET: KeyRing.generate_json(),
        UNSUBSCRIBE_KEY_SECRET: secrets.token_urlsafe(32),
    }


def create_queues(endpoint: str, project: str, location: str, manifest: Manifest) -> None:
    import grpc  # type: ignore[import-untyped]
    from google.cloud import tasks_v2
    from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport

    channel = grpc.insecure_channel(endpoint)
    admin = tasks_v2.CloudTasksClient(transport=CloudTasksGrpcTransport(channel=channel))
    parent = f"projects/{project}/locations/{location}"
    for queue in manifest.queues:
        admin.create_queue(
            parent=parent, queue=tasks_v2.Queue(name=f"{parent}/queues/{queue.name}")
        )
    channel.close()
