"""What the API fuzzing gate (tests/fuzz) found: answers /openapi.json did not document.
Each test sends the request that exposed one finding and checks its answer against the
document: the status is listed, the media type is the one listed (none for a 204), the
body matches the listed schema, and documented headers are sent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from werkzeug.test import TestResponse

from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.conftest import ROOT
from tests.support.api import PASSWORD, ApiClient


def assert_documented(api: ApiClient, method: str, path: str, response: TestResponse) -> None:
    """The answer is one /openapi.json lists for `method path` (a path template)."""
    document: dict[str, Any] = api.client.get("/openapi.json").json
    answers = document["paths"][path][method.lower()]["responses"]
    status = str(response.status_code)
    assert status in answers, f"{method} {path} answered {status}; documented: {list(answers)}"
    documented = answers[status]
    media = response.mimetype
    if "content" not in documented:
        assert response.get_data() == b"", f"{status} documents no content but has a body"
    else:
        assert media in documented["content"], f"{media} not in {list(documented['content'])}"
    for header in documented.get("headers", {}):
        assert header in response.headers, f"documented header {header} missing"
    if "content" in documented and media.endswith("json"):
        json.loads(response.get_data())  # a documented JSON body must be one (not empty)
        operation = schemathesis.openapi.from_dict(document)[path][method.upper()]
        operation.validate_response(response)  # raises when the body breaks the schema


def test_a_204_is_documented_without_a_body(api: ApiClient) -> None:
    # the spec gave every 204 a JSON body: the fuzzer could not parse logout's empty answer
    user = api.user("ada")
    tokens = api.client.post("/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    response = api.client.post(
        "/v1/auth/logout", json={"refresh_token": tokens.json["refresh_token"]}
    )
    assert response.status_code == 204
    assert_documented(api, "POST", "/v1/auth/logout", response)


def test_a_replayed_create_answers_a_documented_200(api: ApiClient) -> None:
    # recording the same task twice answers 200 (the first record again); only 201 was listed
    user = api.user("ada")
    agent = user.post("/v1/agents", json={"name": "scout", "model_provider": "local"})
    assert agent.status_code == 201, agent.get_data(as_text=True)
    path = f"/v1/agents/{agent.json['agent_id']}/performance"
    task = {"task_id": "t-1", "task_type": "simulation", "cost": 0.1}
    task |= {k: 0.5 for k in ("accuracy", "completeness", "timeliness", "quality")}
    assert user.post(path, json=task).status_code == 201
    replayed = user.post(path, json=task)
    assert replayed.status_code == 200 and replayed.json["replayed"] is True
    assert_documented(api, "POST", "/v1/agents/{agent_id}/performance", replayed)


def test_the_text_email_preview_is_documented(api: ApiClient) -> None:
    # ?format=text answers text/plain, ?format=html text/html: only JSON was listed
    admin = api.user("root", admin=True)
    response = admin.get("/v1/emails/templates/welcome/preview?format=text")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert_documented(api, "GET", "/v1/emails/templates/{name}/preview", response)


def test_a_bad_credential_on_a_public_route_is_documented(api: ApiClient) -> None:
    # a credential is checked wherever one is sent: a public route answers 401 to a bad one
    response = api.client.get("/v1/payments/packs", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert_documented(api, "GET", "/v1/payments/packs", response)


def test_a_read_only_key_on_a_public_write_is_documented(api: ApiClient) -> None:
    # an API key's scope is checked on every write, public ones included: 403
    user = api.user("ada")
    key = user.post("/v1/api-keys", json={"name": "ro", "scopes": ["read"]}).json["key"]
    response = api.client.post(
        "/v1/auth/password-reset", json={"email": user.email}, headers={"X-API-Key": key}
    )
    assert response.status_code == 403
    assert_documented(api, "POST", "/v1/auth/password-reset", response)


def test_an_oversized_body_is_documented(api: ApiClient) -> None:
    # every route that reads a body answers 413 past max_request_bytes
    user = api.user("ada")
    limit = api.platform.settings.max_request_bytes
    response = user.post("/v1/agents", data=b"{" + b" " * limit + b"}")
    assert response.status_code == 413
    assert_documented(api, "POST", "/v1/agents", response)


@pytest.fixture
def strict_api(settings: Settings) -> Iterator[ApiClient]:
    """Production's rate limits and prices (the shared fixtures relax both)."""
    production = Settings.model_fields
    runtime = LocalRuntime(
        settings.model_copy(
            update={
                "rate_limits": {**settings.rate_limits, "default": "2/60"},
                "prices": production["prices"].get_default(call_default_factory=True),
            }
        ),
        ROOT,
        clock=ManualClock(),
    )
    yield ApiClient(runtime.features)
    runtime.stop()
    install_features(None)


def test_the_default_rate_limit_is_documented(strict_api: ApiClient) -> None:
    # the limiter throttles every route but system's; 429 was listed only where a route
    # named its own limit, and never with its Retry-After header
    user = strict_api.user("ada")
    answers = [user.get("/v1/wallet") for _ in range(3)]
    assert answers[-1].status_code == 429
    assert_documented(strict_api, "GET", "/v1/wallet", answers[-1])


def test_payment_required_is_documented(strict_api: ApiClient) -> None:
    # a priced simulation with an empty wallet answers 402, which was not listed
    user = strict_api.user("ada")
    response = user.post("/v1/simulations", json={"households": 200, "ticks": 1})
    assert response.status_code == 402, response.get_data(as_text=True)
    assert_documented(strict_api, "POST", "/v1/simulations", response)


def test_an_unconfigured_stripe_webhook_is_documented(api: ApiClient) -> None:
    # without Stripe's secrets the webhook answers 503, which was not listed
    response = api.client.post(
        "/v1/payments/stripe/webhook", data=b"{}", headers={"Stripe-Signature": "t=1,v1=00"}
    )
    assert response.status_code == 503
    assert_documented(api, "POST", "/v1/payments/stripe/webhook", response)
