"""The venture feature as the composition root hands it to routes and the report step
function: the ports it keeps reports in and starts and publishes through, and the
narrator of report summaries (`shared.bootstrap.venture` builds it). What other features
answer (the stack advisor, paid work) is passed per call from the root's `Features`."""

from __future__ import annotations

from dataclasses import dataclass

from shared.ports.clock import Clock
from shared.ports.documents import DocumentStore
from shared.ports.events import EventPublisher
from shared.ports.workflows import WorkflowRunner
from shared.venture.narrative import Narrator


@dataclass(frozen=True)
class Venture:
    documents: DocumentStore
    events: EventPublisher
    workflows: WorkflowRunner
    clock: Clock
    narrate: Narrator
