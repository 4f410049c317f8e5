"""Pub/Sub function on the dead-letter topic: records each dead letter for operators."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume_raw
from shared.operations.dead_letters import record_dead_letter as record


@functions_framework.cloud_event
def record_dead_letter(cloud_event: CloudEvent) -> None:
    consume_raw(
        cloud_event,
        lambda raw, platform: record(raw, platform.documents, platform.events, platform.clock),
    )
