"""Pub/Sub function on abandoned deliveries: a simulation whose tick was dead-lettered
is marked failed and refunded."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.operations.events import DeliveryAbandoned
from shared.simulation.handlers import fail_abandoned_simulation as fail


@functions_framework.cloud_event
def fail_abandoned_simulation(cloud_event: CloudEvent) -> None:
    consume(cloud_event, fail, DeliveryAbandoned, name="fail-abandoned-simulation")
