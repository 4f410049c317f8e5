"""Pub/Sub function: an executed governance proposal changes the live economy's policy;
the topic's other proposal events are acknowledged without effect."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.governance.events import PROPOSAL_EVENTS
from shared.governance.jobs import apply_governance_decision


@functions_framework.cloud_event
def apply_governance_decisions(cloud_event: CloudEvent) -> None:
    consume(
        cloud_event, apply_governance_decision, PROPOSAL_EVENTS, name="apply-governance-decisions"
    )
