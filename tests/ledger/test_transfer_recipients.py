"""Paying someone by what you know of them: their email address or public handle (or
their user id). Unknown and hidden recipients are answered alike, and a sender cannot
use transfers to test a list of addresses."""

from __future__ import annotations

from typing import Any

from shared.adapters.local.clock import ManualClock
from tests.ledger.test_wallet_api import fund
from tests.support.api import ApiClient, UserClient


def send(sender: UserClient, to: str, key: str, amount: str = "1") -> Any:
    return sender.post(
        "/v1/wallet/transfers",
        json={"to": to, "token": "AIA", "amount": amount},
        headers={"Idempotency-Key": key},
    )


def test_ada_pays_grace_by_email_by_handle_and_by_id(accounts_api: ApiClient) -> None:
    admin, ada, grace = (
        accounts_api.user("root", admin=True),
        accounts_api.user("ada"),
        accounts_api.user("grace"),
    )
    fund(admin, ada, "AIA", "100")
    by_email = send(ada, grace.email.upper(), "by-email", "10")  # addresses ignore case
    assert by_email.status_code == 201, by_email.json
    assert by_email.json["to"] == grace.email.upper()
    assert by_email.json["recipient_id"] == grace.user_id

    chosen = grace.put("/v1/me/handle", json={"handle": "@Grace_Hopper"})
    assert chosen.status_code == 200 and chosen.json["handle"] == "grace_hopper"
    assert grace.get("/v1/me").json["handle"] == "grace_hopper"
    by_handle = send(ada, "@grace_hopper", "by-handle", "5")
    assert by_handle.status_code == 201 and by_handle.json["recipient_id"] == grace.user_id
    assert send(ada, "GRACE_HOPPER", "bare-handle").json["recipient_id"] == grace.user_id
    assert send(ada, grace.user_id, "by-id").status_code == 201
    assert grace.get("/v1/wallet").json["balances"]["AIA"] == "17.000000"
    # a retry of the same request (same key, same name) is the first transfer again
    replay = send(ada, grace.email, "by-email", "10")
    assert replay.status_code == 200 and replay.json["transfer_id"] == by_email.json["transfer_id"]


def test_unknown_and_hidden_recipients_get_the_same_answer(accounts_api: ApiClient) -> None:
    admin, ada = accounts_api.user("root", admin=True), accounts_api.user("ada")
    unverified = accounts_api.user("fresh", verified=False)
    disabled = accounts_api.user("gone")
    admin.post(f"/v1/admin/users/{disabled.user_id}/disable", json={"reason": "test"})
    fund(admin, ada, "AIA", "10")
    answers = [
        send(ada, to, f"k{i}")
        for i, to in enumerate(
            (
                "nobody.at.all@example.com",
                unverified.email,
                disabled.email,
                "@no_such_handle",
                unverified.user_id,
            )
        )
    ]
    assert {a.status_code for a in answers} == {404}
    bodies = {a.get_data(as_text=True) for a in answers}
    assert len(bodies) == 1, bodies  # byte for byte the same problem
    problem = answers[0].json
    assert problem["errors"][0]["field"] == "to"
    assert "verified" in problem["detail"]
    assert ada.get("/v1/wallet").json["balances"]["AIA"] == "10.000000"


def test_names_that_match_no_one_run_out_before_the_lookup(
    accounts_api: ApiClient, clock: ManualClock
) -> None:
    admin, ada, grace = (
        accounts_api.user("root", admin=True),
        accounts_api.user("ada"),
        accounts_api.user("grace"),
    )
    fund(admin, ada, "AIA", "10")
    misses = [send(ada, f"guess{i}@example.com", f"guess-{i}").status_code for i in range(10)]
    assert misses == [404] * 10
    # spent: now even an address that exists is not looked up, so the answer tells nothing
    for to in ("guess-more@example.com", grace.email):
        limited = send(ada, to, f"after-{to}")
        assert limited.status_code == 429
        assert limited.json["errors"][0]["field"] == "to"
        assert 0 < int(limited.headers["Retry-After"]) <= 3600
    # the budget is the sender's: another sender is not affected
    bob = accounts_api.user("bob")
    fund(admin, bob, "AIA", "1")
    assert send(bob, grace.email, "bob-pays", "0.5").status_code == 201
    clock.advance(3600)
    ada.log_in_again()
    assert send(ada, grace.email, "next-hour").status_code == 201


def test_an_unverified_sender_learns_nothing_and_spends_no_budget(
    accounts_api: ApiClient,
) -> None:
    fresh, grace = accounts_api.user("fresh", verified=False), accounts_api.user("grace")
    for to in (grace.email, "nobody@example.com"):
        refused = send(fresh, to, f"k-{to}")
        assert refused.status_code == 403 and refused.json["type"].endswith("/unverified")


def test_choosing_a_handle(accounts_api: ApiClient) -> None:
    ada, grace = accounts_api.user("ada"), accounts_api.user("grace")
    assert ada.put("/v1/me/handle", json={"handle": "ada"}).status_code == 200
    taken = grace.put("/v1/me/handle", json={"handle": "@ADA"})
    assert taken.status_code == 409 and taken.json["errors"][0]["field"] == "handle"
    for bad in ("ad", "1ada", "ada lovelace", "a" * 31, "treasury", "@Admin"):
        refused = grace.put("/v1/me/handle", json={"handle": bad})
        assert refused.status_code == 400, bad
        assert refused.json["errors"][0]["field"] == "handle"
    assert ada.put("/v1/me/handle", json={"handle": None}).json["handle"] is None
    assert grace.put("/v1/me/handle", json={"handle": "ada"}).status_code == 200  # free again


def test_the_reference_documents_how_to_name_a_recipient(accounts_api: ApiClient) -> None:
    spec = accounts_api.client.get("/openapi.json").json
    operation = spec["paths"]["/v1/wallet/transfers"]["post"]
    schema = spec["components"]["schemas"]["TransferRequest"]
    assert "email address" in schema["properties"]["to"]["description"]
    assert {"to": "grace@example.com", "token": "AIA", "amount": "10"} in schema["examples"]
    assert "404" in operation["responses"] and "429" in operation["responses"]


def test_a_script_pays_by_email_with_an_api_key_as_the_readme_shows(
    accounts_api: ApiClient,
) -> None:
    admin, ada, grace = (
        accounts_api.user("root", admin=True),
        accounts_api.user("ada"),
        accounts_api.user("grace"),
    )
    fund(admin, ada, "AIA", "100")
    created = ada.post("/v1/api-keys", json={"name": "my scripts", "scopes": ["write"]})
    script = UserClient(
        accounts_api.client, ada.user_id, ada.email, {"X-API-Key": created.json["key"]}
    )
    assert script.get("/v1/me").json["user_id"] == ada.user_id
    assert script.get("/v1/wallet").json["tokens"]["AIA"]["available"] == "100.000000"
    paid = send(script, grace.email, "pay-grace-1", "10")
    assert paid.status_code == 201
    assert send(script, grace.email, "pay-grace-1", "10").status_code == 200  # paid once
    assert grace.get("/v1/wallet").json["tokens"]["AIA"]["available"] == "10.000000"
