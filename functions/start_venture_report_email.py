"""Pub/Sub function: a completed venture report is emailed to its owner from reports@."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.email.journeys import start_journeys
from shared.venture.events import VentureReportCompleted


@functions_framework.cloud_event
def start_venture_report_email(cloud_event: CloudEvent) -> None:
    consume(cloud_event, start_journeys, VentureReportCompleted, name="start-venture-report-email")
