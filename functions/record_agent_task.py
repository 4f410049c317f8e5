"""Pub/Sub function: record the performance of a task an agent finished (idempotent)."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.agents.events import AgentTaskCompleted
from shared.agents.jobs import record_completed_task
from shared.events.consumer import consume


@functions_framework.cloud_event
def record_agent_task(cloud_event: CloudEvent) -> None:
    consume(cloud_event, record_completed_task, AgentTaskCompleted, name="record-agent-task")
