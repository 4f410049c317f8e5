"""Publishing CloudEvents to Pub/Sub (binary content mode, see `shared.events.codec`).

The client is created on first publish and kept for the process; with
`PUBSUB_EMULATOR_HOST` set it talks to that stand-in instead of Google."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

from google.api_core import exceptions as gexc
from google.cloud import pubsub_v1  # type: ignore[attr-defined, unused-ignore]

from shared.events.codec import publish_event
from shared.wiring.manifest import Manifest

if TYPE_CHECKING:
    from shared.events.envelope import Event

PUBLISH_TIMEOUT_SECONDS = 60.0


class PubSubPublisher:
    def __init__(self, project: str, manifest: Manifest) -> None:
        self._project = project
        self._manifest = manifest
        self._topics = {t.name for t in manifest.topics}
        self._client: pubsub_v1.PublisherClient | None = None
        self._lock = threading.Lock()

    def _publisher(self) -> pubsub_v1.PublisherClient:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    options = pubsub_v1.types.PublisherOptions(enable_message_ordering=True)
                    self._client = pubsub_v1.PublisherClient(publisher_options=options)
        return self._client

    def topic_path(self, topic: str) -> str:
        return f"projects/{self._project}/topics/{topic}"

    def publish(self, event: Event) -> str:
        return publish_event(self.publish_raw, self._manifest, event)

    def publish_raw(
        self,
        topic: str,
        data: bytes,
        attributes: Mapping[str, str],
        ordering_key: str | None = None,
    ) -> str:
        if topic not in self._topics:
            raise LookupError(f"unknown topic {topic}")
        client = self._publisher()
        path = self.topic_path(topic)
        future = client.publish(path, data, ordering_key=ordering_key or "", **attributes)
        try:
            return str(future.result(timeout=PUBLISH_TIMEOUT_SECONDS))
        except BaseException:
            if ordering_key:
                # A failed publish pauses its ordering key; the caller retries the event.
                client.resume_publish(path, ordering_key)
            raise

    def ping(self) -> None:
        """The dead-letter topic exists (every manifest has one). A permission error still
        proves the service answered: a publisher-only identity may not read topics."""
        try:
            self._publisher().get_topic(
                topic=self.topic_path(self._manifest.dead_letter_topic), timeout=10
            )
        except gexc.PermissionDenied:
            return

    def close(self) -> None:
        """Send what is batched and stop the client (it is recreated if used again)."""
        client, self._client = self._client, None
        if client is not None:
            client.stop()
