"""Pub/Sub function: the next months of one run of a proposal's impact preview."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.simulation.events import ImpactRunTickRequested
from shared.simulation.impact_handlers import advance_impact_run


@functions_framework.cloud_event
def advance_impact_preview(cloud_event: CloudEvent) -> None:
    consume(cloud_event, advance_impact_run, ImpactRunTickRequested, name="advance-impact-preview")
