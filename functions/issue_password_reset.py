"""Pub/Sub function: a password reset was asked for; issue the link if the account exists."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.accounts.events import PasswordResetAsked
from shared.accounts.jobs import issue_password_reset as issue
from shared.adapters.cloud_events import consume


@functions_framework.cloud_event
def issue_password_reset(cloud_event: CloudEvent) -> None:
    consume(cloud_event, issue, PasswordResetAsked, name="issue-password-reset")
