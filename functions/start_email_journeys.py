"""Pub/Sub function: account events start email journeys (onboarding) or queue a single
email (password reset)."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.accounts.events import PasswordResetRequested, UserRegistered
from shared.email.journeys import start_journeys
from shared.events.consumer import consume


@functions_framework.cloud_event
def start_email_journeys(cloud_event: CloudEvent) -> None:
    consume(
        cloud_event,
        start_journeys,
        (UserRegistered, PasswordResetRequested),
        name="start-email-journeys",
    )
