"""Pub/Sub function: account events start email journeys (onboarding) or queue a single
email (password reset, a new verification link)."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.accounts.events import USER_EVENTS
from shared.adapters.cloud_events import consume
from shared.email.journeys import start_journeys


@functions_framework.cloud_event
def start_email_journeys(cloud_event: CloudEvent) -> None:
    consume(cloud_event, start_journeys, USER_EVENTS, name="start-email-journeys")
