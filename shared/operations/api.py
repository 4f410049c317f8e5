"""Operator endpoints for the dead-letter record: inspect and replay."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from shared.api.spec import ApiError, ApiRequest, Reply, route
from shared.events.handling import DEAD_LETTER_REASON, DEAD_LETTER_SUBSCRIBER
from shared.operations.dead_letters import DEAD_LETTERS

_NOT_REPLAYED = {DEAD_LETTER_REASON, DEAD_LETTER_SUBSCRIBER, "aia-original-message-id"}


class DeadLetterQuery(BaseModel):
    limit: int = Field(default=50, ge=1, le=500)


def list_dead_letters(req: ApiRequest[None, DeadLetterQuery]) -> dict[str, Any]:
    rows = req.platform.documents.query(
        DEAD_LETTERS, order_by="recorded_at", descending=True, limit=req.query.limit
    )
    return {"dead_letters": [{"id": doc_id, **doc} for doc_id, doc in rows]}


def replay_dead_letter(req: ApiRequest) -> Reply:
    """Publish the original message again (after the cause is fixed). Its event id is
    unchanged, so a subscriber that had already applied it will not apply it twice."""
    doc_id = req.path_params["dead_letter_id"]
    doc = req.platform.documents.get(DEAD_LETTERS, doc_id)
    if doc is None:
        raise ApiError(404, f"no dead letter with id {doc_id}")
    try:
        topic = req.platform.manifest.topic_for(doc["event_type"])
    except LookupError:
        raise ApiError(409, f"{doc['event_type']} has no topic: it cannot be replayed") from None
    attributes = {
        k: v
        for k, v in doc["attributes"].items()
        if k not in _NOT_REPLAYED and not k.startswith("CloudPubSubDeadLetter")
    }
    message_id = req.platform.events.publish_raw(
        topic, doc["data"].encode(), attributes, doc.get("ordering_key")
    )
    replays = [*doc.get("replays", []), req.platform.clock.now().isoformat()]
    req.platform.documents.set(DEAD_LETTERS, doc_id, {**doc, "replays": replays})
    return Reply({"replayed": True, "topic": topic, "message_id": message_id}, status=202)


ROUTES = [
    route(
        "GET",
        "/v1/admin/dead-letters",
        list_dead_letters,
        "Dead-lettered messages",
        "admin",
        query=DeadLetterQuery,
        auth="admin",
    ),
    route(
        "POST",
        "/v1/admin/dead-letters/{dead_letter_id}/replay",
        replay_dead_letter,
        "Publish a dead-lettered message again",
        "admin",
        status=202,
        auth="admin",
        errors=(404, 409),
    ),
]
