"""One `aia serve` (what `make run` starts) per test module, with no base URLs set: links
in its mail must point at it by themselves. Mail lands in its outbox directory."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from shared.adapters.local.bus import SqliteEventBus
from shared.adapters.local.clock import SystemClock
from shared.wiring.manifest import load_manifest
from tests.support.serve import fast_env, free_port, mail_to, server, wait_until

ADMIN = ("ops@example.com", "a long local passphrase 2026")
PASSWORD = "correct horse battery staple"
LINK = re.compile(r"https?://[^\s<>\"')]+")


@dataclass
class Site:
    base: str
    data_dir: Path

    def api(self, method: str, path: str, token: str | None = None, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.request(method, self.base + path, headers=headers, timeout=30, **kw)

    def login(self, email: str, password: str = PASSWORD) -> str:
        reply = self.api("POST", "/v1/auth/login", json={"email": email, "password": password})
        assert reply.status_code == 200, reply.text
        return str(reply.json()["access_token"])

    def register(self, name: str) -> tuple[str, str]:
        email = f"{name}@example.com"
        body = {"email": email, "password": PASSWORD, "name": name.capitalize()}
        reply = self.api("POST", "/v1/auth/register", json=body)
        assert reply.status_code == 201, reply.text
        return email, str(reply.json()["user_id"])

    def bus(self) -> SqliteEventBus:
        """The server's own embedded bus (its SQLite file), to publish on as its scheduler
        or another process would."""
        return SqliteEventBus(self.data_dir / "bus.sqlite3", load_manifest(), SystemClock())

    def mail(self, address: str, subject_starts: str, timeout: float = 30) -> str:
        """The text part of the first message to `address` whose subject starts so."""
        found: list[str] = []

        def arrived() -> bool:
            for message in mail_to(self.data_dir, address):
                if str(message["Subject"]).startswith(subject_starts):
                    part = message.get_body(preferencelist=("plain",))
                    assert part is not None
                    found.append(part.get_content())
                    return True
            return False

        wait_until(arrived, timeout)
        return found[0]


def links_in(text: str) -> list[str]:
    return [url.rstrip(".,;") for url in LINK.findall(text)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve_site(tmp_path_factory) as running:
        yield running


@contextmanager
def serve_site(
    tmp_path_factory: pytest.TempPathFactory, extra_env: dict[str, str] | None = None
) -> Iterator[Site]:
    """`aia serve` as the `site` fixture starts it, with `extra_env` on top (a module that
    needs more, e.g. Stripe's stand-in, starts its own `site` with this)."""
    data_dir = tmp_path_factory.mktemp("site") / "data"
    env = {
        **fast_env(data_dir),
        "AIA_ADMIN_EMAIL": ADMIN[0],
        "AIA_ADMIN_PASSWORD": ADMIN[1],
        "AIA_TIME_SCALE": "864000",  # a journey's day of waiting in 0.1 s
        "AIA_RATE_LIMITS": '{"default": "100000/60", "auth": "100000/60", "login": '
        '"100000/60", "password-reset": "100000/60"}',
    }
    for name in ("AIA_PUBLIC_BASE_URL", "AIA_APP_BASE_URL"):
        env.pop(name, None)
    env.update(extra_env or {})
    port = free_port()
    with server(env, port):
        yield Site(f"http://127.0.0.1:{port}", data_dir)
