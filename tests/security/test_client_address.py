"""Rate limits hold behind the real proxy chain, tested through the production entry
point (`functions-framework --target api`, as Cloud Run runs it). Behind Cloudflare and
the Google load balancer X-Forwarded-For arrives as
`<whatever the client sent>, <client>, <Cloudflare edge>, <load balancer>`; logins are
also counted per account, so spoofed or rotated addresses do not help a guesser."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.serve import free_port, get, wait_until

CF_EDGE, LOAD_BALANCER = "172.68.10.1", "35.191.7.7"
LIMITS = {
    "default": "1000/60",
    "auth": "1000/60",
    "login": "5/60",
    "login-account": "5/300",
    "password-reset": "1000/60",
}


def forwarded(client: str, claimed: str = "") -> str:
    return ", ".join(p for p in (claimed, client, CF_EDGE, LOAD_BALANCER) if p)


@pytest.fixture(scope="module")
def api_function(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    data = tmp_path_factory.mktemp("ff")
    env = {
        **os.environ,
        "AIA_DATA_DIR": str(data),
        "AIA_RATE_LIMITS": json.dumps(LIMITS),
        "AIA_PASSWORD_HASH_TIME_COST": "1",
        "AIA_PASSWORD_HASH_MEMORY_KIB": "8192",
        "AIA_SCHEDULER_ENABLED": "false",
    }
    env.pop("AIA_TRUSTED_PROXY_HOPS", None)  # the default is the deployed path
    functions_framework = Path(sys.executable).parent / "functions-framework"
    proc = subprocess.Popen(
        [
            str(functions_framework),
            "--target",
            "api",
            "--source",
            str(ROOT / "functions" / "api.py"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: get(f"{base}/health") == 200, timeout=60)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def login(base: str, email: str, xff: str) -> int:
    body = json.dumps({"email": email, "password": "a wrong password guess"}).encode()
    request = urllib.request.Request(
        f"{base}/v1/auth/login",
        data=body,
        headers={"Content-Type": "application/json", "X-Forwarded-For": xff},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def in_one_window(burst: Callable[[], list[int]], seconds: int) -> list[int]:
    """The process under test limits in process, counting in windows aligned to the clock
    (now // seconds, shared/adapters/local/limits.py): a burst that crosses a window's
    end restarts its count midway, which a slow host makes likely (25 logins took long
    enough on 2026-12-07 to fail this way). Such a burst runs again, once, with fresh
    identities: it starts just after the turn, so it has nearly a whole window."""
    for _ in range(2):
        started = time.time()
        statuses = burst()
        if int(started // seconds) == int(time.time() // seconds):
            return statuses
    pytest.fail("two bursts in a row crossed the end of a rate-limit window")


def test_spoofed_first_hops_do_not_reset_the_clients_count(api_function: str) -> None:
    def burst() -> list[int]:
        client = f"198.51.100.{uuid.uuid4().int % 200 + 1}"
        return [
            # a new account each time, so only the per-client limit can bite
            login(api_function, f"{uuid.uuid4().hex}@example.com", forwarded(client, f"10.0.0.{i}"))
            for i in range(25)
        ]

    statuses = in_one_window(burst, 60)
    assert statuses[:5] == [401] * 5
    assert set(statuses[5:]) == {429}


def test_one_account_guessed_from_many_addresses_is_throttled(api_function: str) -> None:
    def burst() -> list[int]:
        victim = f"{uuid.uuid4().hex}@example.com"
        return [
            login(api_function, victim, forwarded(f"203.0.113.{i + 1}", f"10.1.{i}.1"))
            for i in range(25)
        ]

    statuses = in_one_window(burst, 300)
    assert statuses[:5] == [401] * 5
    assert set(statuses[5:]) == {429}


def test_other_clients_and_accounts_are_not_affected(api_function: str) -> None:
    def burst() -> list[int]:
        throttled = f"192.0.2.{uuid.uuid4().int % 200 + 1}"
        for _ in range(6):
            login(api_function, f"{uuid.uuid4().hex}@example.com", forwarded(throttled))
        return [
            login(api_function, f"{uuid.uuid4().hex}@example.com", forwarded(throttled)),
            login(api_function, f"{uuid.uuid4().hex}@example.com", forwarded("192.0.2.250")),
        ]

    assert in_one_window(burst, 60) == [429, 401]


def test_the_address_is_read_from_the_right() -> None:
    from shared.adapters.http.app import client_address

    shape = "6.6.6.6, 198.51.100.7, 172.68.10.1, 35.191.7.7"
    assert client_address(shape, "169.254.1.1", 2) == "198.51.100.7"
    assert client_address("198.51.100.7, 172.68.10.1, 35.191.7.7", "x", 2) == "198.51.100.7"
    # too short to have passed both proxies: only the direct peer is known
    assert client_address("6.6.6.6, 35.191.7.7", "169.254.1.1", 2) == "169.254.1.1"
    assert client_address("", "127.0.0.1", 2) == "127.0.0.1"
    assert client_address(shape, "127.0.0.1", 0) == "127.0.0.1"
    assert client_address(shape, "127.0.0.1", 1) == "172.68.10.1"
