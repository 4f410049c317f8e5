"""Pub/Sub function on account events: the welcome AIA when an address is verified."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.accounts.events import USER_EVENTS
from shared.adapters.cloud_events import consume
from shared.ledger.jobs import grant_signup_bonus as grant


@functions_framework.cloud_event
def grant_signup_bonus(cloud_event: CloudEvent) -> None:
    consume(cloud_event, grant, USER_EVENTS, name="grant-signup-bonus")
