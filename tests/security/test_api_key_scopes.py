"""API-key scope escalation: a new key can do no more than the credential creating it,
and only a session (or an admin-scoped key) creates keys at all."""

from __future__ import annotations

from tests.support.api import ApiClient


def _key(api: ApiClient, headers: dict[str, str], scopes: list[str]) -> tuple[int, str]:
    reply = api.client.post("/v1/api-keys", json={"name": "k", "scopes": scopes}, headers=headers)
    return reply.status_code, (reply.json or {}).get("key", "")


def test_a_write_key_of_an_admin_cannot_mint_an_admin_key(api: ApiClient) -> None:
    admin = api.user("root", admin=True)
    status, write_key = _key(api, admin.headers, ["read", "write"])
    assert status == 201
    status, _ = _key(api, {"X-API-Key": write_key}, ["admin"])
    assert status == 403


def test_a_write_key_cannot_create_keys(api: ApiClient) -> None:
    alice = api.user("alice")
    _, write_key = _key(api, alice.headers, ["write"])
    status, _ = _key(api, {"X-API-Key": write_key}, ["read"])
    assert status == 403


def test_scopes_stay_within_the_creator(api: ApiClient) -> None:
    alice, admin = api.user("alice"), api.user("root", admin=True)
    assert _key(api, alice.headers, ["admin"])[0] == 403  # a user's session: no admin
    assert _key(api, alice.headers, ["read", "write"])[0] == 201
    status, admin_key = _key(api, admin.headers, ["admin"])
    assert status == 201
    # an admin-scoped key may create keys within its scopes
    assert _key(api, {"X-API-Key": admin_key}, ["read"])[0] == 201
    assert _key(api, {"X-API-Key": admin_key}, ["admin"])[0] == 201


def test_an_admin_key_loses_its_power_with_its_owners_role(api: ApiClient) -> None:
    root, other = api.user("root", admin=True), api.user("other", admin=True)
    _, admin_key = _key(api, root.headers, ["admin"])
    assert api.client.get("/v1/admin/users", headers={"X-API-Key": admin_key}).status_code == 200
    other.put(f"/v1/admin/users/{root.user_id}/roles", json={"roles": ["user"]})
    assert api.client.get("/v1/admin/users", headers={"X-API-Key": admin_key}).status_code == 403
    assert _key(api, {"X-API-Key": admin_key}, ["admin"])[0] == 403
