"""Event functions accept every shape production sends: Eventarc's binary-mode
CloudEvent, a structured CloudEvent, and a raw Pub/Sub push envelope."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import functions_framework
import pytest
from cloudevents.conversion import to_binary, to_structured
from cloudevents.http import CloudEvent
from flask.testing import FlaskClient

from shared.events.codec import PUBSUB_PUBLISHED, encode
from shared.events.envelope import new_event
from shared.events.once import PROCESSED
from shared.operations.events import PurgeRequested
from shared.runtime.local import LocalRuntime
from tests.conftest import ROOT


@pytest.fixture
def purge_client(app_runtime: LocalRuntime) -> FlaskClient:
    app = functions_framework.create_app(
        "purge_expired", str(ROOT / "functions" / "purge_expired.py"), "cloudevent"
    )
    return app.test_client()


def pubsub_body(event_id: str) -> dict:  # type: ignore[type-arg]
    raw = encode(new_event(PurgeRequested(), event_id=event_id))
    return {
        "message": {
            "data": base64.b64encode(raw.data).decode(),
            "attributes": dict(raw.attributes),
            "messageId": "m-" + event_id,
            "publishTime": "2026-01-01T00:00:00Z",
        },
        "subscription": "projects/p/subscriptions/purge-expired-sub",
    }


def seed_expired_marker(runtime: LocalRuntime) -> None:
    past = (runtime.platform.clock.now() - timedelta(days=1)).isoformat()
    runtime.platform.documents.set(PROCESSED, "old", {"key": "k", "expires_at": past})


def processed_keys(runtime: LocalRuntime) -> set[str]:
    return {doc["key"] for _, doc in runtime.platform.documents.query(PROCESSED)}


def test_binary_mode_eventarc_delivery(
    app_runtime: LocalRuntime, purge_client: FlaskClient
) -> None:
    seed_expired_marker(app_runtime)
    event = CloudEvent(
        {
            "type": PUBSUB_PUBLISHED,
            "source": "//pubsub.googleapis.com/projects/p/topics/maintenance",
        },
        pubsub_body("e-1"),
    )
    headers, body = to_binary(event)
    response = purge_client.post("/", headers=dict(headers), data=body)
    assert response.status_code == 200
    assert "k" not in processed_keys(app_runtime)  # the expired marker was purged
    assert "purge-expired:e-1" in processed_keys(app_runtime)


def test_structured_mode_domain_event(app_runtime: LocalRuntime, purge_client: FlaskClient) -> None:
    event = CloudEvent(
        {
            "type": PurgeRequested.event_type,
            "source": "//api.013a.tech/test",
            "id": "e-2",
            "dataschema": PurgeRequested.dataschema(),
        },
        {"batch_size": 10},
    )
    headers, body = to_structured(event)
    response = purge_client.post("/", headers=dict(headers), data=body)
    assert response.status_code == 200
    assert "purge-expired:e-2" in processed_keys(app_runtime)


def test_raw_push_envelope(app_runtime: LocalRuntime, purge_client: FlaskClient) -> None:
    response = purge_client.post(
        "/", data=json.dumps(pubsub_body("e-3")), content_type="application/json"
    )
    assert response.status_code == 200
    assert "purge-expired:e-3" in processed_keys(app_runtime)


def test_garbage_is_acked_and_dead_lettered_not_crashed(
    app_runtime: LocalRuntime, purge_client: FlaskClient
) -> None:
    event = CloudEvent(
        {"type": "tech.013a.maintenance.purge.requested", "source": "//x", "id": "e-4"},
        {"batch_size": "lots"},
    )
    headers, body = to_binary(event)
    assert purge_client.post("/", headers=dict(headers), data=body).status_code == 200
    [dead] = app_runtime.bus.messages("dead-letters")
    assert "invalid data" in dead.attributes["aia-dead-letter-reason"]
