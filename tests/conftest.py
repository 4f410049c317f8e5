from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.wiring.manifest import load_manifest
from tests.support.api import ApiClient

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "runtime_fixture"
sys.path.insert(0, str(FIXTURE / "functions"))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        scheduler_enabled=False,
        # cheap hashing and generous limits: tests register many users from one address
        password_hash_time_cost=1,
        password_hash_memory_kib=8192,
        # features are free in tests unless a test prices them; no welcome grant either
        prices={},
        signup_grant_aia="0",
        rate_limits={
            "default": "100000/60",
            "auth": "100000/60",
            "login": "100000/60",
            "password-reset": "100000/60",
        },
    )


@pytest.fixture
def probe_runtime(settings: Settings, clock: ManualClock) -> Iterator[LocalRuntime]:
    """The local runtime on a test manifest: a probe function plus the real
    dead-letter recorder, on a manual clock so backoff is instant."""
    runtime = LocalRuntime(
        settings,
        [FIXTURE, ROOT],
        clock=clock,
        manifest=load_manifest(FIXTURE / "manifest.yaml"),
    )
    yield runtime
    runtime.stop()
    install_features(None)


@pytest.fixture
def app_runtime(settings: Settings, clock: ManualClock) -> Iterator[LocalRuntime]:
    """The local runtime on the real manifest and functions."""
    runtime = LocalRuntime(settings, ROOT, clock=clock)
    yield runtime
    runtime.stop()
    install_features(None)


@pytest.fixture
def api(app_runtime: LocalRuntime) -> ApiClient:
    """The public API on the app runtime; `api.user("alice")` calls it as alice."""
    return ApiClient(app_runtime.features)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session."""
    from sqlalchemy import create_engine

    from shared.adapters.sql.migrate import migrate
    from tests.support.postgres import temporary_database

    with temporary_database() as url:
        engine = create_engine(url)
        migrate(engine)
        engine.dispose()
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def accounts_settings(
    settings: Settings, sql_backend: str, request: pytest.FixtureRequest
) -> Settings:
    """The test settings on the embedded SQLite database, or on real PostgreSQL."""
    if sql_backend == "sqlite":
        return settings
    url = request.getfixturevalue("postgres_url")
    return settings.model_copy(update={"database_url": url})


@pytest.fixture
def accounts_runtime(accounts_settings: Settings, clock: ManualClock) -> Iterator[LocalRuntime]:
    runtime = LocalRuntime(accounts_settings, ROOT, clock=clock)
    yield runtime
    runtime.stop()
    install_features(None)


@pytest.fixture
def accounts_api(accounts_runtime: LocalRuntime) -> ApiClient:
    return ApiClient(accounts_runtime.features)
