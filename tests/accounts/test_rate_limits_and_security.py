"""Rate limits (in-process and on the Redis this machine runs), CORS, security headers,
request size limits, and no secret or password in any log line."""

from __future__ import annotations

import io
import logging
import time
import uuid
from collections.abc import Iterator

import pytest

from shared.adapters.local.clock import ManualClock
from shared.adapters.redis.limits import RedisRateLimiter
from shared.bootstrap import install_features
from shared.observability.logging import CloudLoggingFormatter
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.conftest import ROOT
from tests.support.api import PASSWORD, ApiClient

STRICT = {"default": "1000/60", "auth": "1000/60", "login": "3/60", "password-reset": "2/300"}


@pytest.fixture(params=["local", "redis"])
def strict_api(
    request: pytest.FixtureRequest, settings: Settings, clock: ManualClock
) -> Iterator[ApiClient]:
    if request.param == "redis":
        RedisRateLimiter("redis://127.0.0.1:6379/0").ping()  # fails loudly if Redis is down
    configured = settings.model_copy(update={"rate_limits": STRICT, "rate_limiter": request.param})
    runtime = LocalRuntime(configured, ROOT, clock=clock)
    yield ApiClient(runtime.features)
    runtime.stop()
    install_features(None)


def test_login_is_throttled_with_retry_after(strict_api: ApiClient) -> None:
    # a unique client address per run, so the Redis counters of earlier runs don't count
    ip = f"198.51.100.{uuid.uuid4().int % 250}"
    # the deployed shape: <client's own claim>, <client>, <Cloudflare edge>, <load balancer>
    headers = {"X-Forwarded-For": f"10.9.9.9, {ip}, 172.68.1.1, 35.191.0.1"}
    body = {"email": f"{uuid.uuid4().hex}@example.com", "password": "wrong password here"}
    statuses = [
        strict_api.client.post("/v1/auth/login", json=body, headers=headers).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    limited = strict_api.client.post("/v1/auth/login", json=body, headers=headers)
    assert limited.content_type == "application/problem+json"
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    # another client is not affected
    other = strict_api.client.post(
        "/v1/auth/login",
        json=body,
        headers={"X-Forwarded-For": "10.9.9.9, 203.0.113.9, 172.68.1.1, 35.191.0.1"},
    )
    assert other.status_code == 401


def test_redis_counter_is_shared_by_instances_and_expires() -> None:
    key = f"test:{uuid.uuid4().hex}"
    one, two = (
        RedisRateLimiter("redis://127.0.0.1:6379/0"),
        RedisRateLimiter("redis://127.0.0.1:6379/0"),
    )
    assert one.hit(key, 2, 1).allowed
    assert two.hit(key, 2, 1).allowed
    third = one.hit(key, 2, 1)
    assert not third.allowed and third.retry_after == 1
    time.sleep(1.1)
    assert two.hit(key, 2, 1).allowed


def test_cors_for_the_app_and_admin_origins_only(api: ApiClient) -> None:
    allowed = api.client.get("/health", headers={"Origin": "https://app.013a.tech"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.013a.tech"
    other = api.client.get("/health", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = api.client.options(
        "/v1/auth/login",
        headers={"Origin": "https://admin.013a.tech", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]


def test_request_size_is_limited(api: ApiClient) -> None:
    huge = {"email": "a@example.com", "password": "x" * 2_000_000, "name": "n"}
    response = api.client.post("/v1/auth/register", json=huge)
    assert response.status_code == 413


def test_no_password_or_token_reaches_the_logs(
    api: ApiClient, accounts_runtime_logs: io.StringIO
) -> None:
    alice = api.user("alice")
    tokens = api.client.post(
        "/v1/auth/login", json={"email": alice.email, "password": PASSWORD}
    ).json
    api.client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    api.client.post("/v1/auth/login", json={"email": alice.email, "password": "a wrong guess 123"})
    api.client.post("/v1/auth/password-reset", json={"email": alice.email})
    key = alice.post("/v1/api-keys", json={"name": "k"}).json["key"]
    api.client.get("/v1/me", headers={"X-API-Key": key})
    api.client.get("/v1/me", headers={"Authorization": "Bearer forged.token.value"})
    output = accounts_runtime_logs.getvalue()
    assert "login succeeded" in output  # the capture works
    for secret in (
        PASSWORD,
        "a wrong guess 123",
        tokens["access_token"],
        tokens["refresh_token"],
        key,
    ):
        assert secret not in output
    assert "reset-password?token=" not in output


@pytest.fixture
def accounts_runtime_logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(CloudLoggingFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous)
