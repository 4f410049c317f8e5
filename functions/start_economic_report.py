"""Pub/Sub function: a ready economic report starts the monthly report journey."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.email.events import EconomicReportReady
from shared.email.journeys import start_journeys


@functions_framework.cloud_event
def start_economic_report(cloud_event: CloudEvent) -> None:
    consume(cloud_event, start_journeys, EconomicReportReady, name="start-economic-report")
