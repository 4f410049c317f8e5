"""Typed settings, read once from the environment at the edge of the process.

`AIA_BACKEND` picks every port's adapter at once (`local` or `gcp`); a per-port variable
(`AIA_EVENT_BUS`, `AIA_DOCUMENT_STORE`, `AIA_SQL`, `AIA_SECRETS`, `AIA_TASK_QUEUE`) overrides it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

Backend = Literal["local", "gcp"]
PORT_NAMES = ("event_bus", "document_store", "sql", "secrets", "task_queue")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AIA_", extra="ignore", frozen=True)

    backend: Backend = "local"
    event_bus: Backend | None = None
    document_store: Backend | None = None
    sql: Backend | None = None
    secrets: Backend | None = None
    task_queue: Backend | None = None

    environment: str = "local"
    data_dir: Path = Path(".aia-data")
    port: int = Field(default=8080, validation_alias=AliasChoices("PORT", "AIA_PORT"))
    public_base_url: str = ""
    primary_domain: str = Field(
        default="013a.tech", validation_alias=AliasChoices("PRIMARY_DOMAIN", "AIA_PRIMARY_DOMAIN")
    )
    gcp_project: str = Field(
        default="aia-local",
        validation_alias=AliasChoices("GOOGLE_CLOUD_PROJECT", "AIA_GCP_PROJECT"),
    )
    region: str = "europe-west1"
    database_url: str | None = None
    tasks_location: str = "europe-west1"
    tasks_invoker_service_account: str | None = None
    # Where each HTTP function is reachable (Cloud Tasks and Workflows targets), e.g.
    # AIA_FUNCTION_URLS='{"api": "https://api-xyz.a.run.app"}'.
    function_urls: dict[str, str] = Field(default_factory=dict)
    # Endpoints of local stand-ins for tests; empty in production (the clients' defaults).
    # Pub/Sub and Firestore clients read PUBSUB_EMULATOR_HOST / FIRESTORE_EMULATOR_HOST.
    secret_manager_endpoint: str | None = None
    cloud_tasks_endpoint: str | None = None

    log_level: str = "INFO"
    delivery_workers: int = Field(default=4, ge=1, le=64)
    event_max_age_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    idempotency_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    scheduler_enabled: bool = True
    max_request_bytes: int = Field(default=1_048_576, ge=1024)

    def backend_for(self, port: str) -> Backend:
        """The adapter family chosen for one port: its own override, else `backend`."""
        if port not in PORT_NAMES:
            raise ValueError(f"unknown port {port!r}; known: {', '.join(PORT_NAMES)}")
        override: Backend | None = getattr(self, port)
        return override or self.backend

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        if self.backend_for("sql") == "gcp":
            raise ValueError("AIA_DATABASE_URL is required when AIA_SQL/AIA_BACKEND is gcp")
        return f"sqlite:///{(self.data_dir / 'aia.sqlite3').resolve()}"


@lru_cache(maxsize=1)
def current_settings() -> Settings:
    """The process's settings; read once (cold start) and cached."""
    return Settings()
