"""Login limits as the README states them, on the default settings: an honest script's
logins are not throttled, wrong passwords are, per account and address and per account
from anywhere, and an API key keeps working while an account's logins are throttled."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.conftest import ROOT
from tests.support.api import PASSWORD, ApiClient

DEFAULT_LIMITS = Settings.model_fields["rate_limits"].default_factory()  # type: ignore[misc]


def via(client: str) -> dict[str, str]:
    """The deployed X-Forwarded-For shape: <client's claim>, <client>, <edge>, <LB>."""
    return {"X-Forwarded-For": f"10.0.0.1, {client}, 172.68.10.1, 35.191.7.7"}


@pytest.fixture
def default_limits(settings: Settings, clock: ManualClock) -> Iterator[ApiClient]:
    runtime = LocalRuntime(
        settings.model_copy(update={"rate_limits": DEFAULT_LIMITS}), ROOT, clock=clock
    )
    yield ApiClient(runtime.features)
    runtime.stop()
    install_features(None)


def login(api: ApiClient, email: str, password: str, client: str) -> int:
    body = {"email": email, "password": password}
    return api.client.post("/v1/auth/login", json=body, headers=via(client)).status_code


def test_an_honest_script_logging_in_twelve_times_in_two_minutes_is_not_throttled(
    default_limits: ApiClient, clock: ManualClock
) -> None:
    ada = default_limits.user("ada")
    statuses = []
    for _ in range(12):
        statuses.append(login(default_limits, ada.email, PASSWORD, "198.51.100.7"))
        clock.advance(10)
    assert statuses == [200] * 12


def test_wrong_passwords_from_one_address_are_throttled_and_the_key_keeps_working(
    default_limits: ApiClient, clock: ManualClock
) -> None:
    ada = default_limits.user("ada")
    key = ada.post("/v1/api-keys", json={"name": "script", "scopes": ["read"]}).json["key"]
    wrong = [login(default_limits, ada.email, "not my password", "198.51.100.7") for _ in range(5)]
    assert wrong == [401] * 5
    # spent for this address: even the right password waits, and says until when
    limited = default_limits.client.post(
        "/v1/auth/login",
        json={"email": ada.email, "password": PASSWORD},
        headers=via("198.51.100.7"),
    )
    assert limited.status_code == 429
    assert limited.json["type"].endswith("/too-many-failed-logins")
    assert 0 < int(limited.headers["Retry-After"]) <= 300
    assert "API keys" in limited.json["detail"]
    # Ada at home, another address, still logs in; her script's key never stopped
    assert login(default_limits, ada.email, PASSWORD, "203.0.113.20") == 200
    assert default_limits.client.get("/v1/me", headers={"X-API-Key": key}).status_code == 200
    clock.advance(300)
    assert login(default_limits, ada.email, PASSWORD, "198.51.100.7") == 200


def test_guesses_from_many_addresses_are_throttled_per_account(
    default_limits: ApiClient, clock: ManualClock
) -> None:
    ada = default_limits.user("ada")
    guesses = [
        login(default_limits, ada.email, f"guess {i}", f"203.0.113.{i + 1}") for i in range(20)
    ]
    assert guesses == [401] * 20
    assert login(default_limits, ada.email, PASSWORD, "192.0.2.77") == 429
    # another account is not affected
    grace = default_limits.user("grace")
    assert login(default_limits, grace.email, PASSWORD, "192.0.2.77") == 200
    clock.advance(900)
    assert login(default_limits, ada.email, PASSWORD, "192.0.2.77") == 200


def test_one_address_trying_many_accounts_meets_the_client_limit(
    default_limits: ApiClient,
) -> None:
    statuses = [
        login(default_limits, f"someone{i}@example.com", "a guess", "198.51.100.99")
        for i in range(21)
    ]
    assert statuses == [401] * 20 + [429]
    limited = default_limits.client.post(
        "/v1/auth/login",
        json={"email": "x@example.com", "password": "a guess"},
        headers=via("198.51.100.99"),
    )
    assert "login: 20 per 60 s" in limited.json["detail"]
    assert 0 < int(limited.headers["Retry-After"]) <= 60


def test_the_readme_lists_every_limit_with_its_default() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("### Limits") :]
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (\d+/\d+) \|", table, flags=re.MULTILINE))
    assert rows == DEFAULT_LIMITS
    assert "Retry-After" in table
