"""Pub/Sub function: counts completed venture reports in the daily usage statistics."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.venture.events import VentureReportCompleted
from shared.venture.usage import record_report_completion


@functions_framework.cloud_event
def record_venture_usage(cloud_event: CloudEvent) -> None:
    consume(
        cloud_event, record_report_completion, VentureReportCompleted, name="record-venture-usage"
    )
