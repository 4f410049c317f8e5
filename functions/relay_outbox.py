"""Pub/Sub function: publishes events the SQL outbox still holds (every minute)."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.operations.events import OutboxRelayRequested
from shared.operations.relay import relay_outbox as relay


@functions_framework.cloud_event
def relay_outbox(cloud_event: CloudEvent) -> None:
    consume(cloud_event, relay, OutboxRelayRequested, name="relay-outbox")
