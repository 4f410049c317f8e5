"""API keys (shown once, hashed, scoped, revocable) and the admin role."""

from __future__ import annotations

from pydantic import SecretStr

from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.conftest import ROOT
from tests.support.api import ApiClient


def test_api_key_lifecycle(accounts_api: ApiClient) -> None:
    alice = accounts_api.user("alice")
    created = alice.post("/v1/api-keys", json={"name": "ci", "scopes": ["read", "write"]})
    assert created.status_code == 201
    secret = created.json["key"]
    assert secret.startswith("aia_")
    listed = alice.get("/v1/api-keys").json["api_keys"]
    assert [k["id"] for k in listed] == [created.json["id"]]
    assert "key" not in listed[0]
    # the secret is stored only as a hash
    stored = accounts_api.features.accounts.service.store.api_key_by_prefix(created.json["prefix"])
    assert stored is not None and secret not in stored.key_hash

    as_bearer = accounts_api.client.get("/v1/me", headers={"Authorization": f"Bearer {secret}"})
    as_header = accounts_api.client.get("/v1/me", headers={"X-API-Key": secret})
    assert as_bearer.status_code == as_header.status_code == 200
    assert as_header.json["user_id"] == alice.user_id

    assert alice.delete(f"/v1/api-keys/{created.json['id']}").status_code == 204
    assert accounts_api.client.get("/v1/me", headers={"X-API-Key": secret}).status_code == 401


def test_read_scope_cannot_write(accounts_api: ApiClient) -> None:
    alice = accounts_api.user("alice")
    secret = alice.post("/v1/api-keys", json={"name": "ro", "scopes": ["read"]}).json["key"]
    assert accounts_api.client.get("/v1/api-keys", headers={"X-API-Key": secret}).status_code == 200
    denied = accounts_api.client.post(
        "/v1/api-keys", json={"name": "x"}, headers={"X-API-Key": secret}
    )
    assert denied.status_code == 403


def test_admin_endpoints_need_the_admin_role(accounts_api: ApiClient) -> None:
    assert accounts_api.anonymous().get("/v1/admin/users").status_code == 401
    user = accounts_api.user("mallory")
    assert user.get("/v1/admin/users").status_code == 403
    assert user.post("/v1/api-keys", json={"name": "x", "scopes": ["admin"]}).status_code == 403
    admin = accounts_api.user("root", admin=True)
    listed = admin.get("/v1/admin/users?limit=500")
    assert listed.status_code == 200
    assert user.user_id in {u["user_id"] for u in listed.json["users"]}
    promoted = admin.put(f"/v1/admin/users/{user.user_id}/roles", json={"roles": ["user", "admin"]})
    assert promoted.json["roles"] == ["admin", "user"]
    assert admin.get("/v1/admin/users?limit=0").status_code == 400


def test_first_admin_comes_from_settings(settings: Settings, clock: ManualClock) -> None:
    configured = settings.model_copy(
        update={
            "admin_email": "Ops@013a.tech",
            "admin_password": SecretStr("a strong admin passphrase"),
        }
    )
    runtime = LocalRuntime(configured, ROOT, clock=clock)
    try:
        api = ApiClient(runtime.features)
        tokens = api.client.post(
            "/v1/auth/login",
            json={"email": "ops@013a.tech", "password": "a strong admin passphrase"},
        )
        assert tokens.status_code == 200
        listed = api.client.get(
            "/v1/admin/users", headers={"Authorization": f"Bearer {tokens.json['access_token']}"}
        )
        assert listed.status_code == 200
    finally:
        runtime.stop()
        install_features(None)
    # a restart with the same settings neither fails nor duplicates the admin
    again = LocalRuntime(configured, ROOT, clock=clock)
    try:
        users = again.features.accounts.service.store.list_users(100, 0)
        assert [u.email for u in users] == ["ops@013a.tech"]
    finally:
        again.stop()
        install_features(None)


def test_a_rejected_admin_password_is_logged_not_fatal(
    settings: Settings, clock: ManualClock, caplog
) -> None:  # type: ignore[no-untyped-def]
    configured = settings.model_copy(
        update={"admin_email": "admin@013a.tech", "admin_password": SecretStr("admin-password-1")}
    )
    runtime = LocalRuntime(configured, ROOT, clock=clock)
    try:
        api = ApiClient(runtime.features)
        assert api.client.get("/v1/admin/users").status_code == 401  # the API still answers
        assert api.user("someone").get("/v1/me").status_code == 200
        assert any("first admin not created" in r.getMessage() for r in caplog.records)
    finally:
        runtime.stop()
        install_features(None)
