"""Pub/Sub function: every few minutes, announce proposals' time-driven transitions
(voting started, ends soon, succeeded or defeated, expired) and release due locks."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.governance.events import GovernanceTickRequested
from shared.governance.jobs import advance_governance as advance


@functions_framework.cloud_event
def advance_governance(cloud_event: CloudEvent) -> None:
    consume(cloud_event, advance, GovernanceTickRequested, name="advance-governance")
