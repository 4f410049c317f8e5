"""Pub/Sub function: the schedule advances the live economy (creating it on first run)."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.simulation.events import LiveEconomyAdvanceRequested
from shared.simulation.handlers import advance_live_economy as advance


@functions_framework.cloud_event
def advance_live_economy(cloud_event: CloudEvent) -> None:
    consume(cloud_event, advance, LiveEconomyAdvanceRequested, name="advance-live-economy")
