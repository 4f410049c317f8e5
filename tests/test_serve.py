"""`aia serve` (what `make run` starts) as a real process: it answers, shuts down on
SIGTERM, and its embedded store and pending events survive a restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shared.adapters.local.documents import SqliteDocumentStore
from shared.events.once import PROCESSED
from tests.conftest import ROOT

PURGE = "tech.013a.maintenance.purge.requested"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except OSError:
        return 0


@contextmanager
def server(env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "shared.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: get(f"http://127.0.0.1:{port}/health") == 200)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def publish(env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "shared.cli", "publish", PURGE, "{}"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def test_embedded_state_survives_a_restart(tmp_path: Path) -> None:
    env = {**os.environ, "AIA_DATA_DIR": str(tmp_path / "data")}
    port = free_port()
    documents = tmp_path / "data" / "documents.sqlite3"

    def processed(event_id: str) -> bool:
        store = SqliteDocumentStore(documents)
        try:
            return any(d["key"].endswith(event_id) for _, d in store.query(PROCESSED))
        finally:
            store.close()

    with server(env, port) as proc:
        assert get(f"http://127.0.0.1:{port}/ready") == 200
        first = publish(env)
        wait_until(lambda: processed(first))
    assert proc.returncode == 0, "SIGTERM should stop the server cleanly"

    second = publish(env)  # published while nothing runs: must be delivered after restart
    with server(env, port):
        wait_until(lambda: processed(second))
        assert processed(first), "state written before the restart is still there"
