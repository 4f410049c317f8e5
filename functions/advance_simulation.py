"""Pub/Sub function: a simulation's next months (ordered by simulation id)."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.simulation.events import SimulationTickRequested
from shared.simulation.handlers import advance_simulation as advance


@functions_framework.cloud_event
def advance_simulation(cloud_event: CloudEvent) -> None:
    consume(cloud_event, advance, SimulationTickRequested, name="advance-simulation")
