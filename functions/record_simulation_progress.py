"""Pub/Sub function: a simulation's document follows its progress."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.simulation.events import SimulationTickCompleted
from shared.simulation.handlers import record_progress


@functions_framework.cloud_event
def record_simulation_progress(cloud_event: CloudEvent) -> None:
    consume(
        cloud_event, record_progress, SimulationTickCompleted, name="record-simulation-progress"
    )
