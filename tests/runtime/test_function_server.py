"""The image's launcher (shared/runtime/function_server.py): every function of the manifest
answers Cloud Run's startup probe, GET /ready, 200 once its settings and ports are built
and 503 problem+json naming what is wrong before; its own trigger is untouched."""

from __future__ import annotations

import json

import pytest

from shared.runtime.function_server import (
    create_function_app,
    function_for_target,
    main,
    serves_own_ready,
)
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.wiring.manifest import load_manifest
from tests.conftest import ROOT

MANIFEST = load_manifest()


def invalid_settings() -> object:
    return Settings(_env_file=None, sql_pool_size="many")  # type: ignore[call-arg, arg-type]


@pytest.mark.parametrize("name", [f.name for f in MANIFEST.functions])
def test_every_function_answers_ready_once_configured(name: str, app_runtime: LocalRuntime) -> None:
    fn = MANIFEST.function(name)
    app = create_function_app(fn, ROOT / fn.source)
    reply = app.test_client().get("/ready")
    assert reply.status_code == 200, reply.get_data(as_text=True)
    assert reply.get_json()["status"] == "ready"


def test_the_api_keeps_its_own_ready() -> None:
    """Its /ready also asks every backend (shared/api/system.py); ours would shadow it."""
    assert [f.name for f in MANIFEST.functions if serves_own_ready(f)] == ["api"]
    api = create_function_app(MANIFEST.function("api"), ROOT / "functions" / "api.py")
    assert "aia-ready" not in api.view_functions
    event = create_function_app(
        MANIFEST.function("grant-signup-bonus"), ROOT / "functions" / "grant_signup_bonus.py"
    )
    assert "aia-ready" in event.view_functions


def test_invalid_settings_answer_503_naming_the_variable() -> None:
    fn = MANIFEST.function("grant-signup-bonus")
    app = create_function_app(fn, ROOT / fn.source, configure=invalid_settings)
    reply = app.test_client().get("/ready")
    assert reply.status_code == 503
    assert reply.mimetype == "application/problem+json"
    assert reply.headers["Retry-After"] == "5"
    body = json.loads(reply.get_data())
    assert body["type"].endswith("/not-ready") and body["status"] == 503
    assert body["detail"] == "invalid settings: AIA_SQL_POOL_SIZE"
    assert [(e["field"], e["in"]) for e in body["errors"]] == [("AIA_SQL_POOL_SIZE", "environment")]


def test_ports_that_cannot_be_built_answer_503_without_the_message() -> None:
    def unreachable() -> object:
        raise OSError("could not connect to postgresql://aia:s3cret@10.0.0.3/aia")

    fn = MANIFEST.function("email-send")
    reply = (
        create_function_app(fn, ROOT / fn.source, configure=unreachable).test_client().get("/ready")
    )
    assert reply.status_code == 503
    body = reply.get_data(as_text=True)
    assert "(OSError)" in body and "s3cret" not in body


def test_every_probe_tries_again() -> None:
    attempts: list[int] = []

    def configured_on_the_third_try() -> object:
        attempts.append(1)
        if len(attempts) < 3:
            return invalid_settings()
        return object()

    fn = MANIFEST.function("purge-expired")
    client = create_function_app(fn, ROOT / fn.source, configured_on_the_third_try).test_client()
    assert [client.get("/ready").status_code for _ in range(4)] == [503, 503, 200, 200]


def test_the_trigger_is_untouched(app_runtime: LocalRuntime) -> None:
    """POST / still reaches the CloudEvent handler: an event of an unknown type is
    dead-lettered and acked (204), not taken by the /ready rule; GET / stays refused."""
    fn = MANIFEST.function("purge-expired")
    client = create_function_app(fn, ROOT / fn.source).test_client()
    headers = {
        "ce-id": "1",
        "ce-source": "//test",
        "ce-specversion": "1.0",
        "ce-type": "tech.013a.test.unknown",
        "Content-Type": "application/json",
    }
    assert client.post("/", data=b"{}", headers=headers).status_code in (200, 204)
    assert client.get("/").status_code == 405


def test_an_unknown_target_or_a_contradicting_signature_stops_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(SystemExit, match="no function with target 'nope'"):
        function_for_target(MANIFEST, "nope")
    monkeypatch.setenv("FUNCTION_SIGNATURE_TYPE", "http")
    with pytest.raises(SystemExit, match="manifest makes grant-signup-bonus a cloudevent"):
        main(["--target", "grant_signup_bonus"])
