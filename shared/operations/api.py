"""Operator endpoints: the dead-letter record (inspect and replay) and the workflow
executions in flight."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from shared.api.pagination import (
    NEXT_CURSOR_DESCRIPTION,
    OffsetPageQuery,
    offset_page,
    slice_page,
)
from shared.api.spec import ApiRequest, Reply, route
from shared.operations.dead_letters import recent_dead_letters
from shared.operations.dead_letters import replay_dead_letter as replay

MAX_IN_FLIGHT = 1000  # each is asked about once on Cloud Workflows: a bound on the calls


class DeadLetterQuery(OffsetPageQuery):
    limit: int = Field(default=50, ge=1, le=500, description="Dead letters per page")


class DeadLetter(BaseModel):
    """A message no subscriber could handle, as `record_dead_letter` kept it."""

    id: str = Field(description="This record's id, stable per original message and subscriber")
    event_type: str = Field(
        description="The CloudEvent type (`ce-type`) of the message; `unknown` if it had none"
    )
    event_id: str | None = Field(
        default=None, description="The CloudEvent id (`ce-id`); null if the message had none"
    )
    reason: str = Field(
        description="Why it was dead-lettered: the handler's rejection, or the delivery "
        "attempts exhausted"
    )
    subscriber: str | None = Field(
        default=None, description="The subscriber (or subscription) that gave up on it"
    )
    data: str = Field(description="The message body as text, cut at 64,000 bytes")
    attributes: dict[str, str] = Field(
        default_factory=dict, description="The message attributes as delivered"
    )
    ordering_key: str | None = Field(
        default=None, description="The Pub/Sub ordering key; null if it was published without"
    )
    recorded_at: str = Field(description="When it was recorded (ISO 8601, UTC)")
    replays: list[str] = Field(
        default_factory=list,
        description="When an operator published it again (ISO 8601, oldest first); empty if never",
    )


class DeadLetterList(BaseModel):
    dead_letters: list[DeadLetter] = Field(description="This page, most recently recorded first")
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


class ExecutionQuery(OffsetPageQuery):
    limit: int = Field(default=50, ge=1, le=500, description="Executions per page")


class ExecutionInFlight(BaseModel):
    execution_id: str = Field(description="The id the platform started it under")
    workflow: str = Field(description="The workflow (`workflows/<name>.workflows.yaml`)")
    started_at: datetime = Field(description="When the platform started it (UTC)")
    state: Literal["ACTIVE"] = Field(
        description="Always ACTIVE: running, waiting or queued; finished ones are not listed"
    )


class ExecutionsInFlight(BaseModel):
    executions: list[ExecutionInFlight] = Field(
        description=f"This page, the longest running first (of the {MAX_IN_FLIGHT} oldest)"
    )
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


def list_executions_in_flight(req: ApiRequest[None, ExecutionQuery]) -> ExecutionsInFlight:
    started = req.platform.workflows.unfinished(MAX_IN_FLIGHT)
    page, next_cursor = slice_page(started, req.query)
    return ExecutionsInFlight(
        executions=[
            ExecutionInFlight(
                execution_id=e.execution_id,
                workflow=e.workflow,
                started_at=e.started_at,
                state="ACTIVE",
            )
            for e in page
        ],
        next_cursor=next_cursor,
    )


def list_dead_letters(req: ApiRequest[None, DeadLetterQuery]) -> DeadLetterList:
    query = req.query
    skip = query.skip()
    rows = recent_dead_letters(req.platform.documents, query.limit + 1, skip)
    page, next_cursor = offset_page(rows, query, skip)
    return DeadLetterList(
        dead_letters=[DeadLetter.model_validate({**doc, "id": doc_id}) for doc_id, doc in page],
        next_cursor=next_cursor,
    )


def replay_dead_letter(req: ApiRequest) -> Reply:
    """Publish the original message again (after the cause is fixed). Its event id is
    unchanged, so a subscriber that had already applied it will not apply it twice."""
    platform = req.platform
    replayed = replay(
        req.path_params["dead_letter_id"],
        platform.documents,
        platform.events,
        platform.manifest,
        platform.clock,
    )
    return Reply(
        {"replayed": True, "topic": replayed.topic, "message_id": replayed.message_id},
        status=202,
    )


ROUTES = [
    route(
        "GET",
        "/v1/admin/workflows/executions",
        list_executions_in_flight,
        "Workflow executions in flight: started by the platform, not finished",
        "admin",
        query=ExecutionQuery,
        response=ExecutionsInFlight,
        auth="admin",
        description="From the platform's own record of the executions it started (report "
        "generation, email journeys, agent reports), each checked with the workflows "
        "port: executions started in the console by hand are not listed.",
    ),
    route(
        "GET",
        "/v1/admin/dead-letters",
        list_dead_letters,
        "Dead-lettered messages",
        "admin",
        query=DeadLetterQuery,
        response=DeadLetterList,
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
