from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.adapters.local.clock import ManualClock
from shared.platform import install_platform
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
    return Settings(data_dir=tmp_path / "data", scheduler_enabled=False)


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
    install_platform(None)


@pytest.fixture
def app_runtime(settings: Settings, clock: ManualClock) -> Iterator[LocalRuntime]:
    """The local runtime on the real manifest and functions."""
    runtime = LocalRuntime(settings, ROOT, clock=clock)
    yield runtime
    runtime.stop()
    install_platform(None)


@pytest.fixture
def api(app_runtime: LocalRuntime) -> ApiClient:
    """The public API on the app runtime; `api.user("alice")` calls it as alice."""
    return ApiClient(app_runtime.platform)
