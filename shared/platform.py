"""The ports one process works with, built once from settings by the composition root
(`shared.bootstrap`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.ports import (
    Clock,
    DocumentStore,
    EventPublisher,
    Secrets,
    SqlDatabase,
    TaskQueue,
    WorkflowRunner,
)
from shared.settings import Settings
from shared.wiring.manifest import Manifest


@dataclass
class Platform:
    settings: Settings
    manifest: Manifest
    clock: Clock
    events: EventPublisher
    documents: DocumentStore
    sql: SqlDatabase
    secrets: Secrets
    tasks: TaskQueue
    workflows: WorkflowRunner

    def readiness(self) -> dict[str, str]:
        """Check each backend; a map of port name to "ok" or the error's class."""
        checks: dict[str, Callable[[], None]] = {
            "documents": self.documents.ping,
            "sql": self.sql.ping,
            "events": self.events.ping,
            "secrets": self.secrets.ping,
            "tasks": self.tasks.ping,
            "workflows": self.workflows.ping,
        }
        results: dict[str, str] = {}
        for name, check in checks.items():
            try:
                check()
                results[name] = "ok"
            except Exception as exc:  # noqa: BLE001 - a readiness probe reports, never raises
                results[name] = f"unavailable: {type(exc).__name__}"
        return results
