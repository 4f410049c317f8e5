"""Password reset: 202 whatever the email, a single-use expiring token delivered as a
`user.password_reset_requested` event, sessions revoked after the change."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

from shared.adapters.local.clock import ManualClock
from shared.runtime.local import LocalRuntime
from tests.support.api import PASSWORD, ApiClient

NEW_PASSWORD = "an entirely new passphrase"


def reset_events(runtime: LocalRuntime) -> list[dict]:  # type: ignore[type-arg]
    runtime.dispatcher.drain()  # the asked-for reset is issued by its event handler
    return [
        json.loads(m.data)
        for m in runtime.bus.messages("users")
        if m.attributes["ce-type"] == "tech.013a.user.password_reset_requested"
    ]


def token_of(event: dict) -> str:  # type: ignore[type-arg]
    return parse_qs(urlparse(event["reset_url"]).query)["token"][0]


def test_unknown_email_gets_the_same_answer_and_no_event(
    accounts_api: ApiClient, accounts_runtime: LocalRuntime
) -> None:
    response = accounts_api.client.post(
        "/v1/auth/password-reset", json={"email": "ghost@example.com"}
    )
    assert response.status_code == 202
    assert reset_events(accounts_runtime) == []


def test_reset_flow(accounts_api: ApiClient, accounts_runtime: LocalRuntime) -> None:
    alice = accounts_api.user("alice")
    session = accounts_api.client.post(
        "/v1/auth/login", json={"email": alice.email, "password": PASSWORD}
    ).json
    response = accounts_api.client.post("/v1/auth/password-reset", json={"email": alice.email})
    assert response.status_code == 202
    [event] = reset_events(accounts_runtime)
    assert event["user_id"] == alice.user_id
    assert event["reset_url"].startswith("https://app.013a.tech/reset-password?token=")
    token = token_of(event)

    confirm = {"token": token, "new_password": NEW_PASSWORD}
    assert (
        accounts_api.client.post("/v1/auth/password-reset/confirm", json=confirm).status_code == 204
    )
    # single use
    reused = accounts_api.client.post("/v1/auth/password-reset/confirm", json=confirm)
    assert reused.status_code == 400
    assert reused.json["errors"][0]["field"] == "token"
    # the old password is gone, the new one works, old sessions are revoked
    old = accounts_api.client.post(
        "/v1/auth/login", json={"email": alice.email, "password": PASSWORD}
    )
    assert old.status_code == 401
    new = accounts_api.client.post(
        "/v1/auth/login", json={"email": alice.email, "password": NEW_PASSWORD}
    )
    assert new.status_code == 200
    stale = accounts_api.client.post(
        "/v1/auth/refresh", json={"refresh_token": session["refresh_token"]}
    )
    assert stale.status_code == 401


def test_reset_tokens_expire_and_weak_passwords_are_refused(
    accounts_api: ApiClient, accounts_runtime: LocalRuntime, clock: ManualClock
) -> None:
    bob = accounts_api.user("bob")
    accounts_api.client.post("/v1/auth/password-reset", json={"email": bob.email})
    accounts_api.client.post("/v1/auth/password-reset", json={"email": bob.email})
    first, second = (token_of(e) for e in reset_events(accounts_runtime))
    weak = accounts_api.client.post(
        "/v1/auth/password-reset/confirm", json={"token": first, "new_password": "short"}
    )
    assert weak.status_code == 400
    assert weak.json["errors"][0]["field"] == "new_password"
    clock.advance(3601)
    late = accounts_api.client.post(
        "/v1/auth/password-reset/confirm", json={"token": second, "new_password": NEW_PASSWORD}
    )
    assert late.status_code == 400


def test_registration_publishes_user_registered_and_is_audited(
    accounts_api: ApiClient, accounts_runtime: LocalRuntime
) -> None:
    carol = accounts_api.user("carol")
    [message] = [
        m
        for m in accounts_runtime.bus.messages("users")
        if m.attributes["ce-type"] == "tech.013a.user.registered"
    ]
    assert json.loads(message.data)["user_id"] == carol.user_id
    accounts_runtime.dispatcher.drain()
    audit = accounts_runtime.platform.documents.query("security_audit")
    assert {(doc["user_id"], doc["type"]) for _, doc in audit} == {
        (carol.user_id, "tech.013a.user.registered"),
        (carol.user_id, "tech.013a.user.email_verified"),  # she followed the link
    }
