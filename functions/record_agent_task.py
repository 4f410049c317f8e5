"""Pub/Sub function: record the performance of a task an agent finished (idempotent)."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.agents.events import AgentTaskCompleted
from shared.agents.jobs import record_completed_task


@functions_framework.cloud_event
def record_agent_task(cloud_event: CloudEvent) -> None:
    consume(cloud_event, record_completed_task, AgentTaskCompleted, name="record-agent-task")
