"""Issue #13, the public surface: what a stranger reaches on `make run`'s port and through
the production edge (docs/decisions/0017-public-surface.md). One test per finding."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from werkzeug.test import Client

from shared.runtime.local import LocalRuntime
from shared.wiring.manifest import load_manifest
from tests.infra.edge import production_edge
from tests.support.api import ApiClient
from tests.support.serve import ROOT, fast_env, free_port, mail_to, server

BACKENDS = ("documents", "sql", "events", "secrets", "tasks", "workflows")
VICTIM = "victim@example.com"
# A password-reset email from security@, pointing at the attacker's site.
PHISH = {
    "type": "password_reset",
    "journey": "phish",
    "step": "reset",
    "to": VICTIM,
    "context": {"reset_url": "https://evil.example/reset", "expires_at": "2030-01-01T00:00:00Z"},
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A real `aia serve` on a loopback port: its base URL and data dir."""
    data = tmp_path_factory.mktemp("serve") / "data"
    port = free_port()
    with server(fast_env(data), port):
        yield f"http://127.0.0.1:{port}", data


def test_private_functions_do_not_answer_strangers_on_the_public_port(
    served: tuple[str, Path],
) -> None:
    base, data = served
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("/internal/email-send/send", PHISH),
        ("/internal/email-send/enqueue", {**PHISH, "journey": "phish-queued"}),
        ("/internal/email-send/fan-out", {}),
        ("/internal/venture-step/market", {}),
        ("/internal/agent-report-step/owners", {}),
    ]
    answers = {path: requests.post(base + path, json=body, timeout=10) for path, body in attempts}
    assert {path: r.status_code for path, r in answers.items()} == dict.fromkeys(answers, 404)
    assert mail_to(data, VICTIM) == [], "a stranger had mail sent from security@"


def test_ready_discloses_no_backend_detail(
    served: tuple[str, Path], app_runtime: LocalRuntime
) -> None:
    base, _ = served
    healthy = requests.get(f"{base}/ready", timeout=10)
    assert (healthy.status_code, healthy.json()) == (200, {"status": "ready"})

    from shared.adapters.sql.database import SqlAlchemyDatabase

    # which backend fails, and with which error, is for admins only
    app_runtime.platform.sql = SqlAlchemyDatabase("postgresql+psycopg://aia@127.0.0.1:1/aia")
    failing = Client(app_runtime.host.wsgi()).get("/ready")
    assert failing.status_code == 503
    text = failing.get_data(as_text=True)
    assert not [name for name in (*BACKENDS, "Error") if name in text], text


def test_backend_readiness_detail_requires_an_admin(api: ApiClient) -> None:
    path = "/v1/admin/readiness"
    assert api.anonymous().get(path).status_code == 401
    assert api.user("mallory").get(path).status_code == 403
    admin = api.user("root", admin=True).get(path)
    assert admin.status_code == 200
    assert set(admin.json["checks"]) == set(BACKENDS)
    documented = api.anonymous().get("/openapi.json").json["paths"][path]["get"]
    assert documented["security"] and {"401", "403"} <= set(documented["responses"])


def test_the_edge_refuses_non_public_paths_on_every_host() -> None:
    raw = yaml.safe_load((ROOT / "shared" / "wiring" / "manifest.yaml").read_text())
    edge, _ = production_edge(load_manifest(), raw)
    for host in edge.hosts:
        for path in ("/ready", "/metrics", "/internal/email-send/send", "/%72eady"):
            assert edge.answer(host, path) == "deny(404)", (host, path)
        assert edge.answer(host, "/health") == "allow"
