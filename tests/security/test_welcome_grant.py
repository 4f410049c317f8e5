"""Welcome-grant farming: AIA for a new account only once its address is verified, once
per mailbox, and unverified accounts can neither send nor receive transfers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest

from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.conftest import ROOT
from tests.support.api import ApiClient, UserClient


@pytest.fixture
def granting(settings: Settings, clock: ManualClock) -> Iterator[tuple[LocalRuntime, ApiClient]]:
    runtime = LocalRuntime(
        settings.model_copy(update={"signup_grant_aia": "100"}), ROOT, clock=clock
    )
    yield runtime, ApiClient(runtime.features)
    runtime.stop()
    install_features(None)


def aia(user: UserClient) -> Decimal:
    return Decimal(user.get("/v1/wallet").json["balances"].get("AIA", "0"))


def test_registration_alone_pays_nothing(granting: tuple[LocalRuntime, ApiClient]) -> None:
    runtime, api = granting
    farmers = [api.user(f"farmer{i}", verified=False) for i in range(5)]
    runtime.dispatcher.drain()
    assert [aia(f) for f in farmers] == [Decimal(0)] * 5


def test_the_grant_is_paid_on_verification_once_per_mailbox(
    granting: tuple[LocalRuntime, ApiClient],
) -> None:
    runtime, api = granting
    ada = api.user("ada", verified=False)
    token = api.verification_token(ada.user_id)
    first = api.client.post("/v1/auth/verify-email", json={"token": token})
    assert first.status_code == 200 and first.json["welcome_grant"] is True
    again = api.client.post("/v1/auth/verify-email", json={"token": token})
    assert again.status_code == 200 and again.json["welcome_grant"] is False
    runtime.dispatcher.drain()
    assert aia(ada) == Decimal(100)
    assert ada.get("/v1/me").json["email_verified"] is True

    # the same Gmail mailbox under other spellings: verified, but no second grant
    base = f"farm{uuid.uuid4().hex[:6]}"
    aliases = [f"{base}@gmail.com", f"{base}+2@gmail.com", f"{base[:2]}.{base[2:]}@googlemail.com"]
    paid = []
    for email in aliases:
        created = api.client.post(
            "/v1/auth/register",
            json={"email": email, "password": "correct horse battery staple", "name": "F"},
        )
        user_id = created.json["user_id"]
        verified = api.verify(user_id).json
        paid.append(verified["welcome_grant"])
    runtime.dispatcher.drain()
    assert paid == [True, False, False]


def test_unverified_accounts_cannot_send_or_receive(
    granting: tuple[LocalRuntime, ApiClient],
) -> None:
    runtime, api = granting
    rich, unverified = api.user("rich"), api.user("fresh", verified=False)
    runtime.dispatcher.drain()
    body = {"to": unverified.user_id, "token": "AIA", "amount": "10"}
    to_unverified = rich.post("/v1/wallet/transfers", json=body, headers={"Idempotency-Key": "a"})
    # answered as if there were no such account: a transfer does not reveal who registered
    assert to_unverified.status_code == 404
    assert to_unverified.json["type"].endswith("/not-found")
    body = {"to": rich.user_id, "token": "AIA", "amount": "1"}
    from_unverified = unverified.post(
        "/v1/wallet/transfers", json=body, headers={"Idempotency-Key": "b"}
    )
    assert from_unverified.status_code == 403
    assert from_unverified.json["type"].endswith("/unverified")
    # once verified, both directions work
    api.verify(unverified.user_id)
    runtime.dispatcher.drain()
    body = {"to": unverified.user_id, "token": "AIA", "amount": "10"}
    assert (
        rich.post("/v1/wallet/transfers", json=body, headers={"Idempotency-Key": "c"}).status_code
        == 201
    )


def test_a_forged_or_foreign_link_verifies_nothing(
    granting: tuple[LocalRuntime, ApiClient],
) -> None:
    _, api = granting
    victim = api.user("victim", verified=False)
    token = api.verification_token(victim.user_id)
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    reply = api.client.post("/v1/auth/verify-email", json={"token": tampered})
    assert reply.status_code == 400 and reply.json["errors"][0]["field"] == "token"
    # an access token is not a verification token (and vice versa)
    access = victim.headers["Authorization"].removeprefix("Bearer ")
    reply = api.client.post("/v1/auth/verify-email", json={"token": access})
    assert reply.status_code == 400
    assert victim.get("/v1/me").json["email_verified"] is False
