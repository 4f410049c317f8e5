"""Pub/Sub function (monthly schedule): the flagship economy's figures for the economic
update email."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.simulation.events import EconomicReportDue
from shared.simulation.report import compose_economic_report as compose


@functions_framework.cloud_event
def compose_economic_report(cloud_event: CloudEvent) -> None:
    consume(cloud_event, compose, EconomicReportDue, name="compose-economic-report")
