"""Wallet history filtered by token, kind and a window of time, paged with the cursor
(on SQLite and PostgreSQL); bad filters are problems naming the parameter."""

from __future__ import annotations

from urllib.parse import quote

from shared.adapters.local.clock import ManualClock
from tests.ledger.test_wallet_api import fund
from tests.support.api import ApiClient


def _kinds(client, query: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    reply = client.get(f"/v1/wallet/history?{query}")
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return [(e["kind"], e["token"]) for e in reply.json["entries"]]


def test_history_filters_by_token_kind_and_window(
    accounts_api: ApiClient, clock: ManualClock
) -> None:
    admin, alice, bob = (
        accounts_api.user("root", admin=True),
        accounts_api.user("alice"),
        accounts_api.user("bob"),
    )
    fund(admin, alice, "AIA", "100")
    clock.advance(60)
    start = clock.now()
    fund(admin, alice, "AIA_GOV", "5")
    # AIA_GOV: no burn, so issuance is not posted to at a later instant (the PostgreSQL
    # database is shared, and the daily issuance test reads issuance as of a day's start)
    sent = alice.post(
        "/v1/wallet/transfers",
        json={"to": bob.user_id, "token": "AIA_GOV", "amount": "1"},
        headers={"Idempotency-Key": "k1"},
    )
    assert sent.status_code == 201
    clock.advance(60)
    end = clock.now()
    stake = alice.post("/v1/wallet/stake", json={"amount": "1"}, headers={"Idempotency-Key": "s"})
    assert stake.status_code == 200

    everything = _kinds(alice, "")
    assert everything == [
        ("stake", "AIA"),
        ("transfer", "AIA_GOV"),
        ("mint", "AIA_GOV"),
        ("mint", "AIA"),
    ]
    assert _kinds(alice, "token=AIA_GOV") == [("transfer", "AIA_GOV"), ("mint", "AIA_GOV")]
    assert _kinds(alice, "kind=mint") == [("mint", "AIA_GOV"), ("mint", "AIA")]
    assert _kinds(alice, "kind=mint&token=AIA") == [("mint", "AIA")]
    window = f"from={quote(start.isoformat())}&to={quote(end.isoformat())}"
    assert _kinds(alice, window) == [("transfer", "AIA_GOV"), ("mint", "AIA_GOV")]
    assert _kinds(alice, f"from={quote(end.isoformat())}") == [("stake", "AIA")]
    assert _kinds(alice, f"to={quote(start.isoformat())}") == [("mint", "AIA")]
    assert _kinds(alice, "kind=refund") == []
    # the filter holds across pages
    first = alice.get("/v1/wallet/history?kind=mint&limit=1").json
    assert [e["token"] for e in first["entries"]] == ["AIA_GOV"]
    rest = alice.get(f"/v1/wallet/history?kind=mint&limit=1&cursor={first['next_cursor']}").json
    assert [e["token"] for e in rest["entries"]] == ["AIA"] and rest["next_cursor"] is None
    # only the caller's own lines: bob sees his incoming transfer and nothing of alice's
    assert _kinds(bob, "kind=transfer") == [("transfer", "AIA_GOV")]
    assert _kinds(bob, "kind=mint") == []


def test_bad_history_filters_name_the_parameter(accounts_api: ApiClient) -> None:
    alice = accounts_api.user("alice")
    for query, field in [
        ("token=BTC", "token"),
        ("kind=Transfer;drop", "kind"),
        ("from=yesterday", "from"),
        ("from=2026-01-01T00:00:00", "from"),  # no offset: refused, not guessed
        ("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to"),
        ("from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"),
    ]:
        reply = alice.get(f"/v1/wallet/history?{query}")
        assert reply.status_code == 400, query
        assert reply.content_type == "application/problem+json"
        assert field in {e["field"] for e in reply.json["errors"]}, query
