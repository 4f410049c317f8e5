"""The production topology (scripts/topology, `make run-cloud`), started ONCE per test
session: every function in its own process (the image's launcher around functions-framework,
ready when GET /ready answers 200, as Cloud Run's startup probe asks), the Google Cloud
stand-ins, PostgreSQL and Redis of this machine, `AIA_BACKEND=gcp`. All its tests carry
`pytestmark = TOPOLOGY` (an xdist_group; nox runs `--dist loadgroup`): one worker starts it.

Pub/Sub backoff runs 1000x faster (10 s -> 10 ms) so that a poison message spends its
subscription's max attempts in seconds; everything else keeps its production settings."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from scripts.topology.launcher import Options, Topology, start
from shared.events.codec import encode
from shared.events.envelope import EventData, new_event
from tests.emulators.base import EmulatorError
from tests.support.serve import mail_to, wait_until

ADMIN_EMAIL = "root@example.com"
ADMIN_PASSWORD = "topology-operator-2026"
PASSWORD = "correct horse battery staple"
AIA = str(Path(sys.executable).parent / "aia")


# Every test module here sets `pytestmark = TOPOLOGY`: xdist's loadgroup reads the mark
# from the module (a mark added later, in a collection hook, comes too late for it).
TOPOLOGY = [pytest.mark.xdist_group("topology"), pytest.mark.emulator, pytest.mark.postgres]


@pytest.fixture(scope="session")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    data_dir = tmp_path_factory.mktemp("topology")
    options = Options(
        data_dir=data_dir,
        backoff_scale=0.001,
        env={
            "AIA_PASSWORD_HASH_TIME_COST": "1",
            "AIA_PASSWORD_HASH_MEMORY_KIB": "8192",
            "AIA_ADMIN_EMAIL": ADMIN_EMAIL,
            "AIA_ADMIN_PASSWORD": ADMIN_PASSWORD,
            # one client address makes every request here: the limits are not under test
            "AIA_RATE_LIMITS": json.dumps({k: "100000/60" for k in ("default", "auth", "login")}),
        },
    )
    try:
        running = start(options)
    except EmulatorError as exc:
        pytest.fail(str(exc), pytrace=False)
    print(f"topology up: {running.timings}")
    yield running
    running.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


class Api:
    """The API function's process, over real HTTP."""

    def __init__(self, topology: Topology) -> None:
        self.base = topology.url("api")
        self.topology = topology

    def call(self, method: str, path: str, token: str | None = None, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers |= kw.pop("headers", {})
        return requests.request(method, self.base + path, headers=headers, timeout=60, **kw)

    def login(self, email: str, password: str = PASSWORD) -> str:
        answer = self.call("POST", "/v1/auth/login", json={"email": email, "password": password})
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    def verified_user(self, email: str, name: str) -> str:
        """Register, read the welcome email the journey sent, verify; a bearer token."""
        body = {"email": email, "password": PASSWORD, "name": name}
        registered = self.call("POST", "/v1/auth/register", json=body)
        assert registered.status_code == 201, registered.text
        data_dir = self.topology.options.data_dir
        wait_until(lambda: bool(mail_to(data_dir, email)), 60)
        env = {**self.topology.env}
        link = subprocess.run(
            [AIA, "mail", "--to", email, "--token", "verify-email"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        verified = self.call("POST", "/v1/auth/verify-email", json={"token": link})
        assert verified.status_code == 200, verified.text
        return self.login(email)


@pytest.fixture(scope="session")
def api(topology: Topology) -> Api:
    return Api(topology)


def publish(topology: Topology, data: EventData) -> str:
    """Publish one event to its topic (over the stand-in's REST API); its event id."""
    event = new_event(data, source="topology-test")
    raw = encode(event)
    message: dict[str, Any] = {
        "data": base64.b64encode(raw.data).decode(),
        "attributes": dict(raw.attributes),
    }
    if raw.ordering_key:
        message["orderingKey"] = raw.ordering_key
    topic = topology.pubsub.topic_path(topology.manifest.topic_for(event.type))
    reply = requests.post(
        f"{topology.cloudbox.pubsub_rest}/v1/{topic}:publish",
        json={"messages": [message]},
        timeout=10,
    )
    reply.raise_for_status()
    return event.id
