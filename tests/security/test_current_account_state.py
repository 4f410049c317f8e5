"""Roles and account state are read as they are now, not as the token remembers them:
demotion, disabling, deletion, logout everywhere and a password reset hold from the
very next request (access tokens live 15 minutes)."""

from __future__ import annotations

from sqlalchemy import delete

from shared.adapters.sql.schema import users
from shared.runtime.local import LocalRuntime
from tests.accounts.test_password_reset import reset_events, token_of
from tests.support.api import PASSWORD, ApiClient

MINT = {"token": "AIA", "amount": "5", "reason": "test"}


def test_a_demoted_admin_cannot_mint_on_the_next_request(accounts_api: ApiClient) -> None:
    root, other = accounts_api.user("root", admin=True), accounts_api.user("other", admin=True)
    target = accounts_api.user("target")
    assert root.post("/v1/admin/mint", json={**MINT, "user_id": target.user_id}).status_code == 201
    demoted = other.put(f"/v1/admin/users/{root.user_id}/roles", json={"roles": ["user"]})
    assert demoted.status_code == 200
    again = root.post("/v1/admin/mint", json={**MINT, "user_id": target.user_id})
    assert again.status_code == 403


def test_a_disabled_account_stops_at_once(accounts_api: ApiClient) -> None:
    admin, mallory = accounts_api.user("admin", admin=True), accounts_api.user("mallory")
    key = mallory.post("/v1/api-keys", json={"name": "k", "scopes": ["read"]}).json["key"]
    assert mallory.get("/v1/wallet").status_code == 200
    disabled = admin.post(
        f"/v1/admin/users/{mallory.user_id}/disable", json={"reason": "abuse report 42"}
    )
    assert disabled.status_code == 200
    assert disabled.json["disabled"] is True
    assert disabled.json["disabled_reason"] == "abuse report 42"
    assert mallory.get("/v1/wallet").status_code == 401
    by_key = accounts_api.client.get("/v1/wallet", headers={"X-API-Key": key})
    assert by_key.status_code == 401
    login = accounts_api.client.post(
        "/v1/auth/login", json={"email": mallory.email, "password": PASSWORD}
    )
    assert login.status_code == 401
    # enabled again: she logs in (her old sessions stay ended)
    assert admin.post(f"/v1/admin/users/{mallory.user_id}/enable").status_code == 200
    assert mallory.get("/v1/wallet").status_code == 401
    mallory.log_in_again()
    assert mallory.get("/v1/wallet").status_code == 200


def test_an_admin_cannot_disable_or_demote_themselves(accounts_api: ApiClient) -> None:
    admin = accounts_api.user("solo", admin=True)
    own = admin.post(f"/v1/admin/users/{admin.user_id}/disable", json={"reason": "oops"})
    assert own.status_code == 409
    demote = admin.put(f"/v1/admin/users/{admin.user_id}/roles", json={"roles": ["user"]})
    assert demote.status_code == 409
    assert admin.get("/v1/admin/users").status_code == 200


def test_a_deleted_users_token_stops_working(
    accounts_api: ApiClient, accounts_runtime: LocalRuntime
) -> None:
    ghost = accounts_api.user("ghost")
    assert ghost.get("/v1/wallet").status_code == 200
    engine = accounts_runtime.features.accounts.service.store.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(delete(users).where(users.c.id == ghost.user_id))
    assert ghost.get("/v1/wallet").status_code == 401


def test_logout_everywhere_ends_every_session(accounts_api: ApiClient) -> None:
    bob = accounts_api.user("bob")
    second = accounts_api.client.post(
        "/v1/auth/login", json={"email": bob.email, "password": PASSWORD}
    ).json
    assert bob.post("/v1/auth/logout-everywhere").status_code == 204
    assert bob.get("/v1/wallet").status_code == 401
    other_device = {"Authorization": f"Bearer {second['access_token']}"}
    assert accounts_api.client.get("/v1/wallet", headers=other_device).status_code == 401
    refreshed = accounts_api.client.post(
        "/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert refreshed.status_code == 401


def test_a_password_reset_ends_access_tokens_at_once(
    accounts_api: ApiClient, accounts_runtime: LocalRuntime
) -> None:
    carol = accounts_api.user("carol")
    asked = accounts_api.client.post("/v1/auth/password-reset", json={"email": carol.email})
    assert asked.status_code == 202
    [token] = [token_of(e) for e in reset_events(accounts_runtime) if e["user_id"] == carol.user_id]
    confirm = {"token": token, "new_password": "a fresh and long passphrase"}
    assert (
        accounts_api.client.post("/v1/auth/password-reset/confirm", json=confirm).status_code == 204
    )
    assert carol.get("/v1/wallet").status_code == 401
