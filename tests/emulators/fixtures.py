"""Session fixtures that start each local stand-in once, on 127.0.0.1, and stop it (by
its process group) when the session ends. A stand-in that is not installed FAILS the
tests that need it, with the command to install it; nothing is skipped.

Import the fixtures into a conftest.py:

    from tests.emulators.fixtures import cloud_tasks_emulator, cloudbox, firestore_emulator
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol, TypeVar

import pytest

from .base import EmulatorError
from .cloud_tasks import CloudTasksEmulator, start_cloud_tasks
from .cloudbox_emulator import Cloudbox, start_cloudbox
from .firestore import FirestoreEmulator, start_firestore


class _Stoppable(Protocol):
    def stop(self) -> None: ...


S = TypeVar("S", bound=_Stoppable)


def _run(start: Callable[[Path], S], log_dir: Path) -> Iterator[S]:
    try:
        emulator = start(log_dir)
    except EmulatorError as exc:
        problem = str(exc)
    else:
        problem = ""
    if problem:
        pytest.fail(problem, pytrace=False)
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture(scope="session")
def emulator_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("emulator-logs")


@pytest.fixture(scope="session")
def cloudbox(emulator_logs: Path) -> Iterator[Cloudbox]:
    """Pub/Sub (gRPC + REST) and Secret Manager (REST)."""
    yield from _run(start_cloudbox, emulator_logs)


@pytest.fixture(scope="session")
def firestore_emulator(emulator_logs: Path) -> Iterator[FirestoreEmulator]:
    yield from _run(start_firestore, emulator_logs)


@pytest.fixture(scope="session")
def cloud_tasks_emulator(emulator_logs: Path) -> Iterator[CloudTasksEmulator]:
    yield from _run(start_cloud_tasks, emulator_logs)
