"""The wallet over HTTP: balances, idempotent transfers, history, admin controls."""

from __future__ import annotations

from tests.support.api import ApiClient, UserClient


def fund(admin: UserClient, user: UserClient, token: str, amount: str) -> None:
    response = admin.post(
        "/v1/admin/mint",
        json={"user_id": user.user_id, "token": token, "amount": amount, "reason": "test"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)


def test_wallet_transfer_and_history(accounts_api: ApiClient) -> None:
    admin, alice, bob = (
        accounts_api.user("root", admin=True),
        accounts_api.user("alice"),
        accounts_api.user("bob"),
    )
    assert alice.get("/v1/wallet").json["balances"] == {"AIA": "0.000000", "AIA_GOV": "0.000000"}
    fund(admin, alice, "AIA", "250.5")
    body = {"to": bob.user_id, "token": "AIA", "amount": "100"}
    sent = alice.post("/v1/wallet/transfers", json=body, headers={"Idempotency-Key": "pay-bob-1"})
    assert sent.status_code == 201
    assert sent.json["burned"] == "0.100000"
    assert sent.json["balance"] == "150.400000"
    replay = alice.post("/v1/wallet/transfers", json=body, headers={"Idempotency-Key": "pay-bob-1"})
    assert replay.status_code == 200
    assert replay.json["transfer_id"] == sent.json["transfer_id"] and replay.json["replayed"]
    assert bob.get("/v1/wallet").json["balances"]["AIA"] == "100.000000"
    history = alice.get("/v1/wallet/history").json["entries"]
    assert [e["kind"] for e in history] == ["transfer", "mint"]
    assert history[0]["amount"] == "-100.100000"
    assert history[0]["counterparties"] == ["issuance", f"user:{bob.user_id}"]
    assert len(bob.get("/v1/wallet/history").json["entries"]) == 1


def test_transfer_errors(accounts_api: ApiClient) -> None:
    admin, alice, bob = (
        accounts_api.user("root", admin=True),
        accounts_api.user("alice"),
        accounts_api.user("bob"),
    )
    body = {"to": bob.user_id, "token": "AIA", "amount": "1"}
    missing = alice.post("/v1/wallet/transfers", json=body)
    assert missing.status_code == 400
    assert missing.json["errors"][0] == {
        "field": "Idempotency-Key",
        "in": "header",
        "message": "missing",
        "code": "missing",
    }
    broke = alice.post("/v1/wallet/transfers", json=body, headers={"Idempotency-Key": "k1"})
    assert broke.status_code == 409
    assert broke.json["type"].endswith("/insufficient-funds")
    fund(admin, alice, "AIA", "10")
    for bad, field in (
        ({**body, "amount": "-1"}, "amount"),
        ({**body, "amount": "0.0000001"}, "amount"),
        ({**body, "token": "BTC"}, "token"),
        ({**body, "to": ""}, "to"),
    ):
        response = alice.post(
            "/v1/wallet/transfers", json=bad, headers={"Idempotency-Key": f"bad-{field}"}
        )
        assert response.status_code == 400, bad
        assert response.json["errors"][0]["field"] == field
    nobody = alice.post(
        "/v1/wallet/transfers", json={**body, "to": "nobody"}, headers={"Idempotency-Key": "n"}
    )
    assert nobody.status_code == 404 and nobody.json["errors"][0]["field"] == "to"
    reuse = alice.post("/v1/wallet/transfers", json=body, headers={"Idempotency-Key": "k2"})
    assert reuse.status_code == 201
    other = alice.post(
        "/v1/wallet/transfers", json={**body, "amount": "2"}, headers={"Idempotency-Key": "k2"}
    )
    assert other.status_code == 409
    assert alice.get("/v1/wallet").json["balances"]["AIA"] == "8.999000"


def test_admin_burn_freeze_supply_and_audit(accounts_api: ApiClient) -> None:
    admin, alice, bob = (
        accounts_api.user("root", admin=True),
        accounts_api.user("alice"),
        accounts_api.user("bob"),
    )
    fund(admin, alice, "AIA_GOV", "50")
    burned = admin.post(
        "/v1/admin/burn", json={"user_id": alice.user_id, "token": "AIA_GOV", "amount": "20"}
    )
    assert burned.status_code == 201
    assert alice.get("/v1/wallet").json["balances"]["AIA_GOV"] == "30.000000"
    frozen = admin.post(
        f"/v1/admin/wallets/{alice.user_id}/freeze", json={"frozen": True, "reason": "fraud review"}
    )
    assert frozen.status_code == 200
    assert alice.get("/v1/wallet").json["frozen"] is True
    blocked = alice.post(
        "/v1/wallet/transfers",
        json={"to": bob.user_id, "token": "AIA_GOV", "amount": "1"},
        headers={"Idempotency-Key": "f"},
    )
    assert blocked.status_code == 403
    supply = {line["token"]: line for line in admin.get("/v1/admin/ledger/supply").json["tokens"]}
    assert supply["AIA_GOV"]["held"] == supply["AIA_GOV"]["supply"]
    actions = [e["action"] for e in admin.get("/v1/admin/ledger/audit").json["entries"]]
    assert actions[:3] == ["freeze", "burn", "mint"]
    # paged by cursor, newest first: the pages together are the whole trail
    first = admin.get("/v1/admin/ledger/audit?limit=2").json
    assert [e["action"] for e in first["entries"]] == ["freeze", "burn"]
    rest = admin.get(f"/v1/admin/ledger/audit?limit=2&cursor={first['next_cursor']}").json
    assert [e["action"] for e in first["entries"] + rest["entries"]][:3] == actions[:3]
    assert (
        alice.post(
            "/v1/admin/mint", json={"user_id": alice.user_id, "token": "AIA", "amount": "1"}
        ).status_code
        == 403
    )


def test_staking_over_http(accounts_api: ApiClient) -> None:
    admin, alice = accounts_api.user("root", admin=True), accounts_api.user("alice")
    fund(admin, alice, "AIA", "100")
    staked = alice.post("/v1/wallet/stake", json={"amount": "40"}, headers={"Idempotency-Key": "s"})
    assert staked.status_code == 200
    assert (
        staked.json["staked"]["AIA"] == "40.000000"
        and staked.json["balances"]["AIA"] == "60.000000"
    )
    too_much = alice.post(
        "/v1/wallet/unstake", json={"amount": "41"}, headers={"Idempotency-Key": "u"}
    )
    assert too_much.status_code == 409


def test_new_accounts_get_the_welcome_grant_once(settings, clock) -> None:  # type: ignore[no-untyped-def]
    from shared.bootstrap import install_features
    from shared.runtime.local import LocalRuntime
    from tests.conftest import ROOT

    runtime = LocalRuntime(
        settings.model_copy(update={"signup_grant_aia": "100"}), ROOT, clock=clock
    )
    try:
        api = ApiClient(runtime.features)
        alice = api.user("alice")
        [registered] = [
            m
            for m in runtime.bus.messages("users")
            if m.attributes["ce-type"].endswith("registered")
        ]
        runtime.bus.publish_raw("users", registered.data, registered.attributes)  # redelivered
        runtime.dispatcher.drain()
        assert alice.get("/v1/wallet").json["balances"]["AIA"] == "100.000000"
    finally:
        runtime.stop()
        install_features(None)
