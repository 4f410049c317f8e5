"""Pub/Sub function: a policy change takes effect from a simulation's next tick."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.simulation.events import SimulationPolicyChanged
from shared.simulation.handlers import apply_policy_change


@functions_framework.cloud_event
def apply_simulation_policy(cloud_event: CloudEvent) -> None:
    consume(
        cloud_event, apply_policy_change, SimulationPolicyChanged, name="apply-simulation-policy"
    )
