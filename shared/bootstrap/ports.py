"""Build the platform's adapters from settings: `local` (embedded, no cloud account)
or `gcp` (official Google Cloud clients), per port. GCP modules are imported only
when chosen, so the embedded runtime never loads the cloud clients."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.platform import Platform
from shared.ports import (
    Clock,
    DocumentStore,
    EventPublisher,
    Secrets,
    TaskQueue,
    WorkflowRunner,
)
from shared.settings import Settings
from shared.wiring.manifest import Manifest, load_manifest

if TYPE_CHECKING:
    from sqlalchemy import Engine


def build_platform(
    settings: Settings, *, clock: Clock | None = None, manifest: Manifest | None = None
) -> Platform:
    from shared.adapters.local.clock import SystemClock
    from shared.adapters.sql.database import SqlAlchemyDatabase
    from shared.runtime.allocator import keep_freed_memory

    keep_freed_memory()  # a process hosting functions: simulation months reuse their pages
    manifest = manifest or load_manifest()
    clock = clock or SystemClock()
    documents = _documents(settings)
    return Platform(
        settings=settings,
        manifest=manifest,
        clock=clock,
        events=_event_bus(settings, manifest, clock),
        documents=documents,
        sql=SqlAlchemyDatabase(
            settings.sqlalchemy_url,
            pool_size=settings.sql_pool_size,
            on_first_use=_migrate_embedded,
        ),
        secrets=_secrets(settings),
        tasks=_tasks(settings, manifest, clock),
        workflows=_workflows(settings, manifest, documents),
    )


def _migrate_embedded(engine: Engine) -> None:
    """The embedded runtime owns its schema: it migrates before the database's first use
    (whichever feature comes first). Cloud SQL is migrated by the pipeline (`aia migrate`)."""
    if engine.dialect.name == "sqlite":
        from shared.adapters.sql.migrate import migrate

        migrate(engine)


def _event_bus(settings: Settings, manifest: Manifest, clock: Clock) -> EventPublisher:
    if settings.backend_for("event_bus") == "gcp":
        from shared.adapters.gcp.pubsub import PubSubPublisher

        return PubSubPublisher(settings.gcp_project, manifest)
    from shared.adapters.local.bus import SqliteEventBus

    return SqliteEventBus(settings.data_dir / "bus.sqlite3", manifest, clock)


def _documents(settings: Settings) -> DocumentStore:
    if settings.backend_for("document_store") == "gcp":
        from shared.adapters.gcp.firestore import FirestoreDocumentStore

        return FirestoreDocumentStore(settings.gcp_project)
    from shared.adapters.local.documents import SqliteDocumentStore

    return SqliteDocumentStore(settings.data_dir / "documents.sqlite3")


def _secrets(settings: Settings) -> Secrets:
    if settings.backend_for("secrets") == "gcp":
        from shared.adapters.gcp.secret_manager import SecretManagerSecrets

        return SecretManagerSecrets(settings.gcp_project, endpoint=settings.secret_manager_endpoint)
    from shared.adapters.local.secrets import EnvironmentSecrets

    return EnvironmentSecrets()


def _tasks(settings: Settings, manifest: Manifest, clock: Clock) -> TaskQueue:
    if settings.backend_for("task_queue") == "gcp":
        from shared.adapters.gcp.cloud_tasks import CloudTasksQueue

        return CloudTasksQueue(settings, manifest)
    from shared.adapters.local.tasks import SqliteTaskQueue

    return SqliteTaskQueue(settings.data_dir / "tasks.sqlite3", manifest, clock)


def _workflows(settings: Settings, manifest: Manifest, documents: DocumentStore) -> WorkflowRunner:
    if settings.backend_for("workflows") == "gcp":
        from shared.adapters.gcp.workflows import CloudWorkflowsRunner

        return CloudWorkflowsRunner(settings, manifest, documents)
    from shared.adapters.local.workflows import LocalWorkflowRunner

    return LocalWorkflowRunner(settings, manifest, documents)
