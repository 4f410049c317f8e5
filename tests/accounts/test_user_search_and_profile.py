"""Operators search accounts by address, handle, role, status and verification (on SQLite
and PostgreSQL); a user changes the name others see with PATCH /v1/me."""

from __future__ import annotations

import uuid

from tests.support.api import ApiClient


def _found(admin_client, query: str) -> set[str]:  # type: ignore[no-untyped-def]
    reply = admin_client.get(f"/v1/admin/users?limit=500&{query}")
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return {u["user_id"] for u in reply.json["users"]}


def test_admins_search_accounts_by_each_filter(accounts_api: ApiClient) -> None:
    tag = uuid.uuid4().hex[:6]  # the PostgreSQL database is shared by the session
    admin = accounts_api.user(f"root{tag}", admin=True)
    ada = accounts_api.user(f"ada{tag}")
    grace = accounts_api.user(f"grace{tag}", verified=False)
    assert ada.put("/v1/me/handle", json={"handle": f"Ada{tag}"}).status_code == 200
    assert (
        admin.post(f"/v1/admin/users/{grace.user_id}/disable", json={"reason": "test"}).status_code
        == 200
    )

    assert _found(admin, f"email=ADA{tag}") == {ada.user_id}  # case is ignored
    assert _found(admin, f"email={tag}") == {admin.user_id, ada.user_id, grace.user_id}
    assert _found(admin, f"handle=@ada{tag}") == {ada.user_id}
    assert _found(admin, f"email={tag}&role=admin") == {admin.user_id}
    assert _found(admin, f"email={tag}&role=user") == {admin.user_id, ada.user_id, grace.user_id}
    assert _found(admin, f"email={tag}&status=disabled") == {grace.user_id}
    assert _found(admin, f"email={tag}&status=active") == {admin.user_id, ada.user_id}
    assert _found(admin, f"email={tag}&verified=false") == {grace.user_id}
    assert _found(admin, f"email={tag}&verified=true&status=active&role=user") == {
        admin.user_id,
        ada.user_id,
    }
    # a LIKE wildcard is matched as itself, not as "anything"
    assert _found(admin, "email=%25") == set()
    assert _found(admin, "email=_") == set()


def test_a_search_pages_with_the_cursor(accounts_api: ApiClient) -> None:
    tag = uuid.uuid4().hex[:6]
    admin = accounts_api.user(f"root{tag}", admin=True)
    members = {accounts_api.user(f"m{i}{tag}").user_id for i in range(3)}
    first = admin.get(f"/v1/admin/users?email={tag}&limit=2").json
    seen = {u["user_id"] for u in first["users"]}
    assert len(seen) == 2 and first["next_cursor"]
    second = admin.get(f"/v1/admin/users?email={tag}&limit=2&cursor={first['next_cursor']}")
    seen |= {u["user_id"] for u in second.json["users"]}
    assert seen == members | {admin.user_id} and second.json["next_cursor"] is None


def test_bad_filters_name_the_parameter_and_users_are_refused(accounts_api: ApiClient) -> None:
    admin, user = accounts_api.user("root", admin=True), accounts_api.user("mallory")
    assert user.get("/v1/admin/users?email=a").status_code == 403
    for query, field in [
        ("role=owner", "role"),
        ("status=frozen", "status"),
        ("email=", "email"),
        ("verified=perhaps", "verified"),
        ("sort=email", "sort"),
    ]:
        reply = admin.get(f"/v1/admin/users?{query}")
        assert reply.status_code == 400, query
        assert reply.content_type == "application/problem+json"
        assert field in {e["field"] for e in reply.json["errors"]}, query


def test_a_user_changes_their_name(accounts_api: ApiClient) -> None:
    ada, other = accounts_api.user("ada"), accounts_api.user("grace")
    changed = ada.request("PATCH", "/v1/me", json={"name": "  Ada King  "})
    assert changed.status_code == 200 and changed.json["name"] == "Ada King"
    assert ada.get("/v1/me").json["name"] == "Ada King"
    assert other.get("/v1/me").json["name"] == "grace"  # only the caller's own account

    for body, field in [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Ada", "email": "new@example.com"}, "email"),
        ({}, "name"),
    ]:
        reply = ada.request("PATCH", "/v1/me", json=body)
        assert reply.status_code == 400, body
        assert reply.content_type == "application/problem+json"
        assert field in {e["field"] for e in reply.json["errors"]}, body
    assert ada.get("/v1/me").json["name"] == "Ada King"
    assert (
        accounts_api.anonymous().request("PATCH", "/v1/me", json={"name": "x"}).status_code == 401
    )
