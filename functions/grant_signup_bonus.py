"""Pub/Sub function on account events: the welcome AIA grant for each new user."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.accounts.events import PasswordResetRequested, UserRegistered
from shared.events.consumer import consume
from shared.ledger.jobs import grant_signup_bonus as grant


@functions_framework.cloud_event
def grant_signup_bonus(cloud_event: CloudEvent) -> None:
    consume(cloud_event, grant, (UserRegistered, PasswordResetRequested), name="grant-signup-bonus")
