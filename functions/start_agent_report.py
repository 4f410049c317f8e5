"""Pub/Sub function (weekly schedule): start the agent performance report journey."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.agents.events import AgentReportDue
from shared.agents.jobs import start_agent_report as start


@functions_framework.cloud_event
def start_agent_report(cloud_event: CloudEvent) -> None:
    consume(cloud_event, start, AgentReportDue, name="start-agent-report")
