"""Registration, login, tokens, refresh rotation and reuse detection, logout; on the
embedded SQLite database and on real PostgreSQL."""

from __future__ import annotations

import base64
import json

from shared.adapters.local.clock import ManualClock
from shared.bootstrap.accounts import SIGNING_KEYS_SECRET
from shared.runtime.local import LocalRuntime
from tests.support.api import PASSWORD, ApiClient


def register(api: ApiClient, email: str, password: str = PASSWORD, name: str = "Ada"):  # type: ignore[no-untyped-def]
    return api.client.post(
        "/v1/auth/register", json={"email": email, "password": password, "name": name}
    )


def login(api: ApiClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return api.client.post("/v1/auth/login", json={"email": email, "password": password})


def test_register_login_me(accounts_api: ApiClient) -> None:
    created = register(accounts_api, "  Ada.Lovelace@Example.com ")
    assert created.status_code == 201
    user_id = created.json["user_id"]
    tokens = login(accounts_api, "ada.lovelace@example.com")
    assert tokens.status_code == 200
    assert tokens.json["token_type"] == "bearer"
    assert 0 < tokens.json["expires_in"] <= 900
    me = accounts_api.client.get(
        "/v1/me", headers={"Authorization": f"Bearer {tokens.json['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json["user_id"] == user_id
    assert me.json["email"] == "ada.lovelace@example.com"
    assert me.json["roles"] == ["user"]


def test_duplicate_email_is_409_whatever_its_case(accounts_api: ApiClient) -> None:
    assert register(accounts_api, "grace@example.com").status_code == 201
    again = register(accounts_api, "GRACE@example.com")
    assert again.status_code == 409
    assert again.json["errors"][0]["field"] == "email"


def test_weak_password_and_bad_email_are_400_with_the_field(accounts_api: ApiClient) -> None:
    weak = register(accounts_api, "weak@example.com", password="short")
    assert weak.status_code == 400
    assert weak.content_type == "application/problem+json"
    assert weak.json["errors"][0]["field"] == "password"
    assert "12 characters" in weak.json["detail"]
    contains_email = register(accounts_api, "hopper@example.com", password="hopper-is-great-2026")
    assert contains_email.status_code == 400
    bad = register(accounts_api, "not-an-email")
    assert bad.status_code == 400
    assert bad.json["errors"][0]["field"] == "email"


def test_wrong_password_and_unknown_email_look_the_same(accounts_api: ApiClient) -> None:
    register(accounts_api, "turing@example.com")
    wrong = login(accounts_api, "turing@example.com", "not the password at all")
    unknown = login(accounts_api, "nobody@example.com")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["detail"] == unknown.json["detail"]


def test_refresh_rotates_and_reuse_revokes_the_family(accounts_api: ApiClient) -> None:
    register(accounts_api, "rotate@example.com")
    first = login(accounts_api, "rotate@example.com").json
    second = accounts_api.client.post(
        "/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert second.status_code == 200
    assert second.json["refresh_token"] != first["refresh_token"]
    # the old token presented again: a thief or a replay — the whole family dies
    replay = accounts_api.client.post(
        "/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert replay.status_code == 401
    after = accounts_api.client.post(
        "/v1/auth/refresh", json={"refresh_token": second.json["refresh_token"]}
    )
    assert after.status_code == 401


def test_logout_revokes_the_session(accounts_api: ApiClient) -> None:
    register(accounts_api, "bye@example.com")
    tokens = login(accounts_api, "bye@example.com").json
    out = accounts_api.client.post(
        "/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}
    )
    assert out.status_code == 204
    again = accounts_api.client.post(
        "/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert again.status_code == 401


def test_logout_ends_that_sessions_access_tokens_at_once(accounts_api: ApiClient) -> None:
    """Not 15 minutes later: the access token of a logged-out sign-in is refused on the
    next request; another sign-in of the same account goes on."""
    register(accounts_api, "gone@example.com")
    here = login(accounts_api, "gone@example.com").json
    elsewhere = login(accounts_api, "gone@example.com").json
    refreshed = accounts_api.client.post(
        "/v1/auth/refresh", json={"refresh_token": here["refresh_token"]}
    ).json  # a later access token of the same sign-in
    for token in (here["access_token"], refreshed["access_token"]):
        headers = {"Authorization": f"Bearer {token}"}
        assert accounts_api.client.get("/v1/me", headers=headers).status_code == 200
    out = accounts_api.client.post(
        "/v1/auth/logout", json={"refresh_token": refreshed["refresh_token"]}
    )
    assert out.status_code == 204
    for token in (here["access_token"], refreshed["access_token"]):
        ended = accounts_api.client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert ended.status_code == 401 and "session has ended" in ended.json["detail"]
    other = {"Authorization": f"Bearer {elsewhere['access_token']}"}
    assert accounts_api.client.get("/v1/me", headers=other).status_code == 200


def test_a_replayed_refresh_token_ends_the_access_tokens_of_its_sign_in(
    accounts_api: ApiClient,
) -> None:
    """A used refresh token presented again (theft) revokes its family: the access token
    the thief got by refreshing stops working too, not only the refresh tokens."""
    register(accounts_api, "stolen@example.com")
    first = login(accounts_api, "stolen@example.com").json
    thief = accounts_api.client.post(
        "/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    ).json
    stolen = {"Authorization": f"Bearer {thief['access_token']}"}
    assert accounts_api.client.get("/v1/me", headers=stolen).status_code == 200
    replay = accounts_api.client.post(
        "/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert replay.status_code == 401
    assert accounts_api.client.get("/v1/me", headers=stolen).status_code == 401


def test_access_tokens_expire(accounts_api: ApiClient, clock: ManualClock) -> None:
    register(accounts_api, "expire@example.com")
    token = login(accounts_api, "expire@example.com").json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert accounts_api.client.get("/v1/me", headers=headers).status_code == 200
    clock.advance(901)
    expired = accounts_api.client.get("/v1/me", headers=headers)
    assert expired.status_code == 401
    assert "expired" in expired.json["detail"]


def test_tampered_and_foreign_tokens_are_rejected(accounts_api: ApiClient) -> None:
    register(accounts_api, "tamper@example.com")
    token = login(accounts_api, "tamper@example.com").json["access_token"]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = ["user", "admin"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    for bad in (f"{header}.{forged}.{signature}", "not.a.jwt", "garbage"):
        response = accounts_api.client.get("/v1/me", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401


def test_signing_key_rotation(
    accounts_runtime: LocalRuntime, accounts_api: ApiClient, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from shared.accounts.tokens import KeyRing

    old_ring = json.loads(KeyRing.generate_json("old"))
    new_ring = json.loads(KeyRing.generate_json("new"))
    monkeypatch.setenv("AIA_SECRET_JWT_SIGNING_KEYS", json.dumps(old_ring))
    register(accounts_api, "rotation@example.com")
    feature = accounts_runtime.features.accounts
    feature.service._key_ring = lambda: KeyRing.from_json(  # bypass the 5-minute cache
        accounts_runtime.platform.secrets.get(SIGNING_KEYS_SECRET)
    )
    old_token = login(accounts_api, "rotation@example.com").json["access_token"]
    # rotate in: new key active, old key still listed for verification
    both = {"active": "new", "keys": {**old_ring["keys"], **new_ring["keys"]}}
    monkeypatch.setenv("AIA_SECRET_JWT_SIGNING_KEYS", json.dumps(both))
    new_token = login(accounts_api, "rotation@example.com").json["access_token"]
    for token in (old_token, new_token):
        assert (
            accounts_api.client.get(
                "/v1/me", headers={"Authorization": f"Bearer {token}"}
            ).status_code
            == 200
        )
    # retire the old key: its tokens stop working, the new ones keep working
    monkeypatch.setenv("AIA_SECRET_JWT_SIGNING_KEYS", json.dumps(new_ring))
    assert (
        accounts_api.client.get(
            "/v1/me", headers={"Authorization": f"Bearer {old_token}"}
        ).status_code
        == 401
    )
    assert (
        accounts_api.client.get(
            "/v1/me", headers={"Authorization": f"Bearer {new_token}"}
        ).status_code
        == 200
    )
