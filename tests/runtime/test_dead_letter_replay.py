"""Operators list dead letters and replay one once its cause is fixed."""

from __future__ import annotations

from shared.events.envelope import new_event
from shared.events.once import PROCESSED
from shared.operations.events import PurgeRequested
from shared.runtime.local import LocalRuntime
from tests.support.api import ApiClient


def test_dead_letters_are_listed_and_replayed(app_runtime: LocalRuntime, api: ApiClient) -> None:
    event = new_event(PurgeRequested())
    # a delivery the purge function rejects: an unknown field makes the data invalid
    app_runtime.bus.publish_raw(
        "maintenance",
        b'{"batch_size": 5, "unexpected": 1}',
        {"ce-type": PurgeRequested.event_type, "ce-id": event.id, "ce-source": "//test"},
    )
    app_runtime.dispatcher.drain()
    admin = api.user("ops", admin=True)
    assert api.user("someone").get("/v1/admin/dead-letters").status_code == 403
    [letter] = admin.get("/v1/admin/dead-letters").json["dead_letters"]
    assert letter["event_id"] == event.id and "invalid data" in letter["reason"]

    # the operator fixes the payload at the source; here we replay the stored one as is,
    # which dead-letters again — and a valid stored message would be applied once
    doc = app_runtime.platform.documents.get("dead_letters", letter["id"])
    assert doc is not None
    app_runtime.platform.documents.set(
        "dead_letters", letter["id"], {**doc, "data": '{"batch_size": 5}'}
    )
    replayed = admin.post(f"/v1/admin/dead-letters/{letter['id']}/replay")
    assert replayed.status_code == 202 and replayed.json["topic"] == "maintenance"
    app_runtime.dispatcher.drain()
    keys = {d["key"] for _, d in app_runtime.platform.documents.query(PROCESSED)}
    assert f"purge-expired:{event.id}" in keys
    assert admin.post("/v1/admin/dead-letters/nope/replay").status_code == 404
