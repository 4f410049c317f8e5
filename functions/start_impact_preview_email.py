"""Pub/Sub function: a proposal's impact preview is ready; the governance journey mails
the voters (a follow-up to the new-proposal mail)."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.email.journeys import start_journeys
from shared.simulation.events import ImpactPreviewReady


@functions_framework.cloud_event
def start_impact_preview_email(cloud_event: CloudEvent) -> None:
    consume(cloud_event, start_journeys, ImpactPreviewReady, name="start-impact-preview-email")
