"""Pub/Sub function: the security audit trail of account events."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.accounts.audit import record_security_event as record
from shared.accounts.events import USER_EVENTS
from shared.adapters.cloud_events import consume


@functions_framework.cloud_event
def record_security_event(cloud_event: CloudEvent) -> None:
    consume(cloud_event, record, USER_EVENTS, name="record-security-event")
