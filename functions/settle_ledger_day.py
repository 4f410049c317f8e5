"""Pub/Sub function (daily schedule): AIA inflation to the treasury, staking rewards."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.ledger.events import LedgerDayClosed
from shared.ledger.jobs import settle_ledger_day as settle


@functions_framework.cloud_event
def settle_ledger_day(cloud_event: CloudEvent) -> None:
    consume(cloud_event, settle, LedgerDayClosed, name="settle-ledger-day")
