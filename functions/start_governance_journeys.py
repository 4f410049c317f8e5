"""Pub/Sub function: proposal state changes start the governance email journey (votes
open, result); the other states on the topic need no email and are acknowledged."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.email.journeys import start_journeys
from shared.governance.events import PROPOSAL_EVENTS


@functions_framework.cloud_event
def start_governance_journeys(cloud_event: CloudEvent) -> None:
    consume(cloud_event, start_journeys, PROPOSAL_EVENTS, name="start-governance-journeys")
