"""The wallet says what is locked and when it comes back: a voter who locked 500,000
AIA_GOV by conviction sees it as locked (not as a balance of 0), with the release time,
and a staker sees their stake the same way."""

from __future__ import annotations

from shared.money import Token, to_minor
from tests.governance.conftest import DAY, Gov


def test_a_conviction_lock_shows_as_locked_with_its_release(gov: Gov) -> None:
    ada = gov.user("ada", "500000")
    proposal = gov.propose(ada)
    gov.to_voting(proposal)
    gov.fund(ada, "20")  # after the snapshot: no voting power, so not locked
    vote = gov.vote(ada, proposal, "for", conviction=2).json
    assert vote["locked"] == "500000.000000"

    wallet = ada.get("/v1/wallet").json
    assert wallet["balances"]["AIA_GOV"] == "20.000000"  # the old field: available only
    gov_tokens = wallet["tokens"]["AIA_GOV"]
    assert gov_tokens["balance"] == "500020.000000"
    assert gov_tokens["locked"] == "500000.000000"
    assert gov_tokens["available"] == "20.000000"
    [lock] = gov_tokens["locks"]
    assert lock["kind"] == "conviction" and lock["amount"] == "500000.000000"
    assert f"proposal {proposal['id']}" in lock["reason"]
    assert lock["releases_at"] == vote["lock_release_at"]

    # once released, nothing is locked and everything is available again
    gov.advance(4 * 7 * DAY)
    gov.service.advance()
    gov.service.advance()
    released = ada.get("/v1/wallet").json["tokens"]["AIA_GOV"]
    assert released["locked"] == "0.000000" and released["locks"] == []
    assert released["available"] == released["balance"] == "500020.000000"


def test_a_stake_is_locked_until_you_unstake(gov: Gov) -> None:
    ada = gov.user("ada")
    gov.runtime.features.ledger.mint(
        Token.AIA, to_minor("100"), "fund-ada-aia", "test", to_user=ada.user_id
    )
    missing = ada.post("/v1/wallet/stake", json={"amount": "40"})
    assert missing.status_code == 400
    assert missing.json["type"].endswith("/idempotency-key-required")
    assert missing.json["errors"][0]["field"] == "Idempotency-Key"
    assert "Idempotency-Key header" in missing.json["detail"]

    staked = ada.post("/v1/wallet/stake", json={"amount": "40"}, headers={"Idempotency-Key": "s"})
    assert staked.status_code == 200
    aia = staked.json["tokens"]["AIA"]
    assert (aia["balance"], aia["locked"], aia["available"]) == (
        "100.000000",
        "40.000000",
        "60.000000",
    )
    [stake] = aia["locks"]
    assert stake["kind"] == "stake" and stake["releases_at"] is None
    assert "unstake" in stake["reason"]
    # a retry with the same key stakes nothing more
    again = ada.post("/v1/wallet/stake", json={"amount": "40"}, headers={"Idempotency-Key": "s"})
    assert again.json["tokens"]["AIA"]["locked"] == "40.000000"


def test_the_reference_documents_the_idempotency_key(gov: Gov) -> None:
    spec = gov.api.client.get("/openapi.json").json
    for path in ("/v1/wallet/stake", "/v1/wallet/unstake", "/v1/wallet/transfers"):
        [header] = [p for p in spec["paths"][path]["post"]["parameters"] if p["in"] == "header"]
        assert header["name"] == "Idempotency-Key" and header["required"] is True, path
    mint = spec["paths"]["/v1/admin/mint"]["post"]["parameters"]
    assert [p["required"] for p in mint if p["name"] == "Idempotency-Key"] == [False]
    wallet = spec["components"]["schemas"]["TokenHolding"]["properties"]
    assert {"balance", "locked", "available", "locks"} <= set(wallet)
