"""The small interfaces the core talks through. Each has an embedded adapter
(`shared.adapters.local`) and a Google Cloud adapter (`shared.adapters.gcp`)."""

from shared.ports.clock import Clock
from shared.ports.documents import DocumentStore, DocumentTransaction, Filter
from shared.ports.events import EventPublisher
from shared.ports.secrets import SecretNotFound, Secrets
from shared.ports.sql import SqlDatabase
from shared.ports.tasks import TaskQueue
from shared.ports.workflows import (
    ExecutionNotFound,
    ExecutionState,
    ExecutionStatus,
    WorkflowRunner,
)

__all__ = [
    "Clock",
    "DocumentStore",
    "DocumentTransaction",
    "EventPublisher",
    "ExecutionNotFound",
    "ExecutionState",
    "ExecutionStatus",
    "Filter",
    "SecretNotFound",
    "Secrets",
    "SqlDatabase",
    "TaskQueue",
    "WorkflowRunner",
]
