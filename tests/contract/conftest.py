"""Contract tests: the SAME tests run against each port's embedded adapter
(`shared.adapters.local`, id `embedded`) and its Google Cloud adapter
(`shared.adapters.gcp`, id `gcp`) talking to a local stand-in that the session starts
(`tests/emulators`). `gcp` cases carry the `emulator` mark: `-m "not emulator"` runs the
embedded half alone. A missing stand-in fails the `gcp` cases with how to install it.

Each fixture below hands a test the port plus the few test-side helpers it needs to see
the other end (what was published, delivered, stored). Tests use their own event type
and wiring manifest, so they do not depend on the production manifest."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from shared.events.codec import RawMessage
from shared.events.envelope import EventData
from shared.ports import DocumentStore, EventPublisher, Secrets, TaskQueue
from shared.settings import Settings
from shared.wiring.manifest import Manifest

try:  # `tests` is a package (tests/__init__.py) or tests/ itself is on sys.path
    from tests.emulators.fixtures import (
        cloud_tasks_emulator,
        cloudbox,
        emulator_logs,
        firestore_emulator,
    )
except ModuleNotFoundError:
    from emulators.fixtures import (  # type: ignore[no-redef]
        cloud_tasks_emulator,
        cloudbox,
        emulator_logs,
        firestore_emulator,
    )

__all__ = ["cloud_tasks_emulator", "cloudbox", "emulator_logs", "firestore_emulator"]

PING = "tech.013a.test.contract.ping"
PINGS_TOPIC = "contract-pings"
DEAD_LETTER_TOPIC = "contract-dead-letters"
LISTENER = "contract-pinged"  # the function subscribed to PINGS_TOPIC
TARGET = "contract-target"  # the HTTP function tasks go to
QUEUE = "contract-queue"
LOCATION = "europe-west1"
INVOKER = "tasks-invoker@contract.iam.gserviceaccount.com"


class ContractPing(EventData, event_type=PING):
    """The test event: ordered by `key`, about `pings/<key>`."""

    key: str
    n: int = 0
    note: str = ""

    def ordering_key(self) -> str | None:
        return self.key or None

    def subject(self) -> str | None:
        return f"pings/{self.key}"


MANIFEST = Manifest.model_validate(
    {
        "version": 1,
        "topics": [
            {"name": PINGS_TOPIC, "description": "Contract test pings.", "events": [PING]},
            {
                "name": DEAD_LETTER_TOPIC,
                "description": "Contract dead letters.",
                "dead_letter": True,
            },
        ],
        "functions": [
            {
                "name": LISTENER,
                "target": "contract_pinged",
                "description": "Listens to pings.",
                "pubsub": {
                    "topic": PINGS_TOPIC,
                    "ordering": True,
                    "max_delivery_attempts": 5,
                    "ack_deadline_seconds": 10,
                    "retry": {"minimum_backoff_seconds": 0, "maximum_backoff_seconds": 0},
                },
            },
            {
                "name": TARGET,
                "target": "contract_target",
                "description": "Receives tasks.",
                "http": {"local_path": "/contract"},
            },
        ],
        "queues": [{"name": QUEUE, "description": "Contract tasks.", "function": TARGET}],
    }
)

BACKENDS = ["embedded", pytest.param("gcp", marks=pytest.mark.emulator)]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def wait_for(predicate: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


# --- documents ---------------------------------------------------------------------------
@pytest.fixture(params=BACKENDS)
def documents(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[DocumentStore]:
    if request.param == "embedded":
        from shared.adapters.local.documents import SqliteDocumentStore

        sqlite = SqliteDocumentStore(tmp_path / "documents.sqlite3")
        yield sqlite
        sqlite.close()
        return
    from shared.adapters.gcp.firestore import FirestoreDocumentStore

    monkeypatch.setenv(
        "FIRESTORE_EMULATOR_HOST", request.getfixturevalue("firestore_emulator").host
    )
    firestore = FirestoreDocumentStore(unique("contract"))  # a project of its own: isolated
    yield firestore
    firestore.close()


# --- events ------------------------------------------------------------------------------
@dataclass
class EventsHarness:
    publisher: EventPublisher
    # (topic, how many) -> what was published to the topic, oldest first
    arrived: Callable[[str, int], list[RawMessage]]


@pytest.fixture(params=BACKENDS)
def events(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[EventsHarness]:
    if request.param == "embedded":
        from shared.adapters.local.bus import SqliteEventBus
        from shared.adapters.local.clock import ManualClock

        bus = SqliteEventBus(tmp_path / "bus.sqlite3", MANIFEST, ManualClock())
        yield EventsHarness(bus, lambda topic, _count: bus.messages(topic))
        bus.close()
        return
    from shared.adapters.gcp.pubsub import PubSubPublisher

    box = request.getfixturevalue("cloudbox")
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", box.pubsub_host)
    broker = PubSubTestBroker(unique("contract"))
    for topic in MANIFEST.topics:  # every topic gets one plain, ordered subscription
        broker.create_topic(topic.name)
        broker.create_subscription(f"{topic.name}-all", topic.name)
    publisher = PubSubPublisher(broker.project, MANIFEST)
    yield EventsHarness(publisher, lambda topic, count: broker.pull(f"{topic}-all", count))
    publisher.close()
    broker.close()


class PubSubTestBroker:
    """The test's side of the Pub/Sub stand-in, through the official clients."""

    def __init__(self, project: str) -> None:
        from google.cloud import pubsub_v1

        self.project = project
        self.admin = pubsub_v1.PublisherClient()
        self.subscriber = pubsub_v1.SubscriberClient()

    def topic(self, name: str) -> str:
        return f"projects/{self.project}/topics/{name}"

    def subscription(self, name: str) -> str:
        return f"projects/{self.project}/subscriptions/{name}"

    def create_topic(self, name: str) -> None:
        self.admin.create_topic(name=self.topic(name))

    def create_subscription(self, name: str, topic: str) -> None:
        self.subscriber.create_subscription(
            request={
                "name": self.subscription(name),
                "topic": self.topic(topic),
                "enable_message_ordering": True,
                "ack_deadline_seconds": 10,
            }
        )

    def pull_once(self, subscription: str, max_messages: int = 10) -> list[Any]:
        response = self.subscriber.pull(
            request={"subscription": self.subscription(subscription), "max_messages": max_messages},
            timeout=5,
        )
        return list(response.received_messages)

    def pull(self, subscription: str, count: int, timeout: float = 10.0) -> list[RawMessage]:
        """Pull and ack until `count` messages came (or `timeout`), in arrival order."""
        messages: list[RawMessage] = []
        deadline = time.monotonic() + timeout
        while len(messages) < count and time.monotonic() < deadline:
            received = self.pull_once(subscription, count - len(messages))
            if received:
                self.subscriber.acknowledge(
                    request={
                        "subscription": self.subscription(subscription),
                        "ack_ids": [r.ack_id for r in received],
                    }
                )
            messages += [as_raw(r, subscription) for r in received]
        return messages

    def close(self) -> None:
        self.subscriber.close()
        self.admin.stop()


def as_raw(received: Any, subscription: str) -> RawMessage:
    message = received.message
    return RawMessage(
        data=bytes(message.data),
        attributes=dict(message.attributes),
        message_id=message.message_id,
        ordering_key=message.ordering_key or None,
        publish_time=message.publish_time.isoformat() if message.publish_time else None,
        delivery_attempt=received.delivery_attempt or 1,
        subscription=subscription,
    )


# --- secrets -----------------------------------------------------------------------------
@dataclass
class SecretsHarness:
    put: Callable[[str, str], None]  # store a (new version of a) secret
    adapter: Callable[[], Secrets]  # a new adapter (no cache yet)


@pytest.fixture(params=BACKENDS)
def secrets(request: pytest.FixtureRequest) -> Iterator[SecretsHarness]:
    if request.param == "embedded":
        from shared.adapters.local.secrets import EnvironmentSecrets, env_names

        environ: dict[str, str] = {}

        def put_env(name: str, value: str) -> None:
            environ[env_names(name)[0]] = value

        yield SecretsHarness(put_env, lambda: EnvironmentSecrets(environ))
        return
    from google.api_core.client_options import ClientOptions
    from google.api_core.exceptions import Conflict
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import secretmanager

    from shared.adapters.gcp.secret_manager import SecretManagerSecrets

    endpoint = request.getfixturevalue("cloudbox").secret_manager
    project = unique("contract")
    admin = secretmanager.SecretManagerServiceClient(
        transport="rest",
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=endpoint),
    )

    def put_secret(name: str, value: str) -> None:
        with contextlib.suppress(Conflict):  # AlreadyExists is a Conflict (409)
            admin.create_secret(
                parent=f"projects/{project}",
                secret_id=name,
                secret={"replication": {"automatic": {}}},
            )
        admin.add_secret_version(
            parent=f"projects/{project}/secrets/{name}", payload={"data": value.encode()}
        )

    yield SecretsHarness(put_secret, lambda: SecretManagerSecrets(project, endpoint=endpoint))
    admin.transport.close()


# --- tasks -------------------------------------------------------------------------------
@dataclass(frozen=True)
class DeliveredTask:
    name: str
    path: str
    body: Mapping[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names; HTTP only


@dataclass
class TasksHarness:
    queue: TaskQueue
    # (how many, timeout) -> tasks delivered to the target function so far, in order
    delivered: Callable[[int, float], list[DeliveredTask]]
    http: bool  # delivered by an HTTP POST (headers present)


@pytest.fixture(params=BACKENDS)
def tasks(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TasksHarness]:
    if request.param == "embedded":
        from shared.adapters.local.clock import SystemClock
        from shared.adapters.local.tasks import SqliteTaskQueue

        sqlite = SqliteTaskQueue(tmp_path / "tasks.sqlite3", MANIFEST, SystemClock())
        seen: list[DeliveredTask] = []

        def claim_until(count: int, timeout: float) -> list[DeliveredTask]:
            # What the local runtime's dispatcher does: claim due tasks, run, complete.
            def enough() -> bool:
                while (task := sqlite.claim()) is not None:
                    seen.append(DeliveredTask(task.name, task.path, task.payload))
                    sqlite.complete(task.name)
                return len(seen) >= count

            wait_for(enough, timeout)
            return list(seen)

        yield TasksHarness(sqlite, claim_until, http=False)
        sqlite.close()
        return
    import grpc
    from google.cloud import tasks_v2
    from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport

    from shared.adapters.gcp.cloud_tasks import CloudTasksQueue

    endpoint = request.getfixturevalue("cloud_tasks_emulator").endpoint
    project = unique("contract")
    with TaskTarget() as target:
        settings = Settings(
            AIA_GCP_PROJECT=project,
            tasks_location=LOCATION,
            cloud_tasks_endpoint=endpoint,
            function_urls={TARGET: target.url},
            tasks_invoker_service_account=INVOKER,
        )
        queue = CloudTasksQueue(settings, MANIFEST)
        admin = tasks_v2.CloudTasksClient(
            transport=CloudTasksGrpcTransport(channel=grpc.insecure_channel(endpoint))
        )
        admin.create_queue(
            parent=f"projects/{project}/locations/{LOCATION}",
            queue=tasks_v2.Queue(name=queue.queue_path(QUEUE)),
        )

        def received(count: int, timeout: float) -> list[DeliveredTask]:
            wait_for(lambda: len(target.requests) >= count, timeout)
            return list(target.requests)

        yield TasksHarness(queue, received, http=True)
        admin.delete_queue(name=queue.queue_path(QUEUE))
        admin.transport.close()
        queue.close()


class TaskTarget:
    """A tiny HTTP server standing for the target function; records every POST."""

    def __init__(self) -> None:
        self.requests: list[DeliveredTask] = []
        recorded = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                headers = {k.lower(): v for k, v in self.headers.items()}
                name = headers.get("x-cloudtasks-taskname", "")
                recorded.append(DeliveredTask(name, self.path, body, headers))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> TaskTarget:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
