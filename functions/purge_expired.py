"""Pub/Sub function: hourly purge of expired idempotency records."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.operations.events import PurgeRequested
from shared.operations.housekeeping import purge_expired_records


@functions_framework.cloud_event
def purge_expired(cloud_event: CloudEvent) -> None:
    consume(cloud_event, purge_expired_records, PurgeRequested, name="purge-expired")
