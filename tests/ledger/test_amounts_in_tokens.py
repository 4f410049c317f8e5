"""Every refusal that names an amount says it in tokens, as a person reads it (the burn
shown), and carries the exact figures in minor units as problem members for scripts."""

from __future__ import annotations

import pytest

from shared.money import in_tokens, percent
from tests.ledger.test_wallet_api import fund
from tests.support.api import ApiClient


@pytest.mark.parametrize(
    ("minor", "text"),
    [
        (74_990_000, "74.99 AIA"),
        (10_010_000_000, "10,010 AIA"),
        (1, "0.000001 AIA"),
        (0, "0 AIA"),
        (1_234_567_890_123_456, "1,234,567,890.123456 AIA"),
    ],
)
def test_amounts_read_as_tokens(minor: int, text: str) -> None:
    assert in_tokens(minor, "AIA") == text


def test_percent_reads_basis_points() -> None:
    assert [percent(b) for b in (10, 200, 5, 800)] == ["0.1 %", "2 %", "0.05 %", "8 %"]


def test_a_transfer_too_large_says_what_you_have_and_what_it_needs(
    accounts_api: ApiClient,
) -> None:
    admin, ada, bob = (
        accounts_api.user("root", admin=True),
        accounts_api.user("ada"),
        accounts_api.user("bob"),
    )
    fund(admin, ada, "AIA", "74.99")
    refused = ada.post(
        "/v1/wallet/transfers",
        json={"to": bob.email, "token": "AIA", "amount": "10000"},
        headers={"Idempotency-Key": "too-much"},
    )
    assert refused.status_code == 409
    assert refused.content_type == "application/problem+json"
    assert refused.json["detail"] == (
        "you have 74.99 AIA; this needs 10,010 AIA including the 0.1 % burn (10 AIA)"
    )
    assert refused.json["type"].endswith("/insufficient-funds")
    assert {k: refused.json[k] for k in ("token", "available_minor", "needed_minor")} == {
        "token": "AIA",
        "available_minor": 74_990_000,
        "needed_minor": 10_010_000_000,
    }
    assert (refused.json["available"], refused.json["needed"]) == ("74.990000", "10010.000000")

    gov = ada.post(
        "/v1/wallet/transfers",
        json={"to": bob.email, "token": "AIA_GOV", "amount": "1.5"},
        headers={"Idempotency-Key": "gov"},
    )
    assert gov.status_code == 409
    assert gov.json["detail"] == "you have 0 AIA_GOV; this needs 1.5 AIA_GOV"  # no burn


def test_staking_more_than_you_have_is_said_in_tokens(accounts_api: ApiClient) -> None:
    admin, ada = accounts_api.user("root", admin=True), accounts_api.user("ada")
    fund(admin, ada, "AIA", "20")
    stake = ada.post("/v1/wallet/stake", json={"amount": "25"}, headers={"Idempotency-Key": "s1"})
    assert stake.status_code == 409
    assert stake.json["detail"] == "you have 20 AIA available; staking this needs 25 AIA"
    ada.post("/v1/wallet/stake", json={"amount": "5"}, headers={"Idempotency-Key": "s2"})
    unstake = ada.post(
        "/v1/wallet/unstake", json={"amount": "7.25"}, headers={"Idempotency-Key": "u1"}
    )
    assert unstake.status_code == 409
    assert unstake.json["detail"] == "you have 5 AIA staked; unstaking this needs 7.25 AIA"
    assert unstake.json["needed_minor"] == 7_250_000


def test_a_frozen_recipient_is_named_without_its_id(accounts_api: ApiClient) -> None:
    admin, ada, bob = (
        accounts_api.user("root", admin=True),
        accounts_api.user("ada"),
        accounts_api.user("bob"),
    )
    fund(admin, ada, "AIA", "10")
    admin.post(f"/v1/admin/wallets/{bob.user_id}/freeze", json={"frozen": True, "reason": "r"})
    refused = ada.post(
        "/v1/wallet/transfers",
        json={"to": bob.email, "token": "AIA", "amount": "1"},
        headers={"Idempotency-Key": "frozen"},
    )
    assert refused.status_code == 403
    assert refused.json["detail"] == "the recipient's wallet is frozen"
    assert bob.user_id not in refused.get_data(as_text=True)
