"""Settings pick each port's adapter: AIA_BACKEND for all, a per-port variable to override."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.bootstrap import build_platform
from shared.settings import PORT_NAMES, Settings

LOCAL = {
    "event_bus": ("events", "SqliteEventBus"),
    "document_store": ("documents", "SqliteDocumentStore"),
    "secrets": ("secrets", "EnvironmentSecrets"),
    "task_queue": ("tasks", "SqliteTaskQueue"),
    "workflows": ("workflows", "LocalWorkflowRunner"),
}
GCP = {
    "event_bus": ("events", "PubSubPublisher"),
    "document_store": ("documents", "FirestoreDocumentStore"),
    "secrets": ("secrets", "SecretManagerSecrets"),
    "task_queue": ("tasks", "CloudTasksQueue"),
    "workflows": ("workflows", "CloudWorkflowsRunner"),
}


def test_defaults_are_embedded(tmp_path: Path) -> None:
    platform = build_platform(Settings(data_dir=tmp_path))
    for attr, cls in LOCAL.values():
        assert type(getattr(platform, attr)).__name__ == cls
    assert platform.sql.dialect == "sqlite"


@pytest.mark.parametrize("port", [p for p in PORT_NAMES if p != "sql"])
def test_a_per_port_override_selects_the_gcp_adapter(tmp_path: Path, port: str) -> None:
    settings = Settings(data_dir=tmp_path, **{port: "gcp"})
    platform = build_platform(settings)
    for name, (attr, cls) in LOCAL.items():
        expected = GCP[name][1] if name == port else cls
        assert type(getattr(platform, attr)).__name__ == expected


def test_gcp_backend_switches_every_port(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        backend="gcp",
        database_url="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    )
    platform = build_platform(settings)
    for attr, cls in GCP.values():
        assert type(getattr(platform, attr)).__name__ == cls
    assert platform.sql.dialect == "postgresql"


def test_gcp_sql_needs_a_database_url(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="AIA_DATABASE_URL"):
        build_platform(Settings(data_dir=tmp_path, sql="gcp"))


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIA_BACKEND", "gcp")
    monkeypatch.setenv("AIA_SECRETS", "local")
    monkeypatch.setenv("AIA_TIME_SCALE", "86400")
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("AIA_DATA_DIR", "/tmp/aia-x")
    settings = Settings()
    assert settings.backend_for("event_bus") == "gcp"
    assert settings.backend_for("secrets") == "local"
    assert settings.port == 9123
    assert settings.time_scale == 86400.0
    assert settings.backend_for("workflows") == "gcp"
    assert settings.data_dir == Path("/tmp/aia-x")


def test_bad_settings_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIA_BACKEND", "aws")
    with pytest.raises(ValueError, match="backend"):
        Settings()
