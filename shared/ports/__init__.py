"""The small interfaces the core talks through. Each has an embedded adapter
(`shared.adapters.local`) and a Google Cloud adapter (`shared.adapters.gcp`)."""

from shared.ports.clock import Clock
from shared.ports.documents import DocumentStore, DocumentTransaction, Filter
from shared.ports.events import EventPublisher
from shared.ports.secrets import SecretNotFound, Secrets
from shared.ports.sql import SqlDatabase
from shared.ports.tasks import TaskQueue

__all__ = [
    "Clock",
    "DocumentStore",
    "DocumentTransaction",
    "EventPublisher",
    "Filter",
    "SecretNotFound",
    "Secrets",
    "SqlDatabase",
    "TaskQueue",
]
