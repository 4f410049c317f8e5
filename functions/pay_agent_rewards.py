"""Pub/Sub function (daily schedule): split the day's agent reward pools by score."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.agents.events import AgentRewardsDue
from shared.agents.jobs import pay_agent_rewards as pay


@functions_framework.cloud_event
def pay_agent_rewards(cloud_event: CloudEvent) -> None:
    consume(cloud_event, pay, AgentRewardsDue, name="pay-agent-rewards")
