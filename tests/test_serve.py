"""`aia serve` (what `make run` starts) as a real process: it answers, shuts down on
SIGTERM, its embedded store and pending events survive a restart, and a journey sends its
mail through the private email-send function that its port does not serve."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import requests

from shared.adapters.local.documents import SqliteDocumentStore
from shared.events.once import PROCESSED
from tests.conftest import ROOT
from tests.support.serve import fast_env, free_port, get, mail_to, server, wait_until

PURGE = "tech.013a.maintenance.purge.requested"


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


def test_a_journey_sends_its_mail_through_the_private_function(tmp_path: Path) -> None:
    # Registering starts the onboarding journey, whose workflow calls email-send /send:
    # in-process, since the port answers /internal/... with 404 (tests/security).
    data = tmp_path / "data"
    port = free_port()
    with server(fast_env(data), port):
        base = f"http://127.0.0.1:{port}"
        body = {"email": "grace@example.com", "password": "correct horse battery staple"}
        registered = requests.post(f"{base}/v1/auth/register", json={**body, "name": "Grace"})
        assert registered.status_code == 201, registered.text
        wait_until(lambda: bool(mail_to(data, "grace@example.com")))
        [welcome] = mail_to(data, "grace@example.com")
        assert welcome["Subject"] == "Welcome to AIA, Grace"
        assert requests.post(f"{base}/internal/email-send/send", json={}).status_code == 404
