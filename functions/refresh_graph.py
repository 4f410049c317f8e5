"""Pub/Sub function: recompile the knowledge graph's index when a registry changes."""

import functions_framework
from cloudevents.http import CloudEvent

from shared.adapters.cloud_events import consume
from shared.knowledge.events import GraphUpdated
from shared.knowledge.service import refresh_graph as refresh


@functions_framework.cloud_event
def refresh_graph(cloud_event: CloudEvent) -> None:
    consume(cloud_event, refresh, GraphUpdated, name="refresh-graph")
