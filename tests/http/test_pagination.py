"""Every list pages the same way: walked with `limit=2` and `next_cursor`, each item comes
once and none is missed (ADR 0026). Lists of one instant (the manual clock never moves
here) are the hard case: their order must not depend on time alone."""

from __future__ import annotations

from typing import Any

from shared.operations.dead_letters import DEAD_LETTERS
from tests.support.api import ApiClient
from tests.support.pages import walk
from tests.venture.test_api import CSV


def test_wallet_history_walks_entries_of_one_instant(api: ApiClient) -> None:
    root, ada = api.user("root", admin=True), api.user("ada")
    for i in range(5):
        minted = root.post(
            "/v1/admin/mint",
            json={"user_id": ada.user_id, "token": "AIA", "amount": str(i + 1)},
            headers={"Idempotency-Key": f"mint-{i}"},
        )
        assert minted.status_code == 201, minted.get_data(as_text=True)
    entries = walk(ada, "/v1/wallet/history", "entries", limit=2)
    assert sorted(float(e["amount"]) for e in entries) == [1, 2, 3, 4, 5]
    assert len({e["entry_id"] for e in entries}) == 5
    # the deprecated `before` still answers, with `next_before` beside `next_cursor`
    page = ada.get("/v1/wallet/history", query_string={"limit": 2})
    assert page.json["next_before"] == page.json["entries"][-1]["created_at"]


def test_accounts_and_their_keys_walk(api: ApiClient) -> None:
    root = api.user("root", admin=True)
    ids = {root.user_id} | {api.user(f"u{i}").user_id for i in range(4)}
    users = walk(root, "/v1/admin/users", "users", limit=2)
    assert sorted(u["user_id"] for u in users) == sorted(ids)
    for i in range(5):
        assert root.post("/v1/api-keys", json={"name": f"key {i}"}).status_code == 201
    keys = walk(root, "/v1/api-keys", "api_keys", limit=2)
    assert sorted(k["name"] for k in keys) == [f"key {i}" for i in range(5)]


def test_agents_simulations_and_datasets_walk(api: ApiClient) -> None:
    ada = api.user("ada")
    for i in range(5):
        body: dict[str, Any] = {"name": f"agent {i}", "model_provider": "local"}
        assert ada.post("/v1/agents", json=body).status_code == 201
        if i < 3:  # three runs at once is the default quota
            started = ada.post("/v1/simulations", json={"ticks": 1, "seed": i})
            assert started.status_code == 202, started.get_data(as_text=True)
        upload = {"name": f"set {i}", "format": "csv", "content": CSV}
        assert ada.post("/v1/venture/datasets", json=upload).status_code == 201
    agents = walk(ada, "/v1/agents", "agents", limit=2)
    assert sorted(a["name"] for a in agents) == [f"agent {i}" for i in range(5)]
    runs = walk(ada, "/v1/simulations", "simulations", limit=1)
    assert len({r["id"] for r in runs}) == len(runs) == 3
    sets = walk(ada, "/v1/venture/datasets", "datasets", limit=2)
    assert sorted(s["name"] for s in sets) == [f"set {i}" for i in range(5)]


def test_dead_letters_walk(api: ApiClient) -> None:
    root = api.user("root", admin=True)
    for i in range(5):
        record = {
            "event_type": "unknown",
            "reason": "delivery attempts exhausted (5)",
            "data": "{}",
            "recorded_at": f"2026-01-0{i + 1}",
        }
        api.platform.documents.set(DEAD_LETTERS, f"dl-{i}", record)
    letters = walk(root, "/v1/admin/dead-letters", "dead_letters", limit=2)
    assert [d["id"] for d in letters] == [f"dl-{i}" for i in reversed(range(5))]
