"""Governance tests run on the embedded SQLite database and on real PostgreSQL (the
`accounts_api` fixture), on a manual clock moved in days. The quorum is 1 basis point
here so a few funded users can meet it whatever the shared test database has minted."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from shared.adapters.local.clock import ManualClock
from shared.governance.service import Governance
from shared.money import Token, to_minor
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.support.api import PASSWORD, ApiClient, UserClient

DAY = 86_400
TAX_CUT = {
    "type": "tax_brackets",
    "tax_brackets": [
        {"threshold": 0.0, "rate": 0.10},
        {"threshold": 0.5, "rate": 0.22},
        {"threshold": 1.25, "rate": 0.33},
        {"threshold": 3.0, "rate": 0.42},
    ],
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"governance_quorum_bps": 1})


@dataclass
class Gov:
    """The API, the runtime and the clock of one test, with governance shortcuts."""

    api: ApiClient
    runtime: LocalRuntime
    clock: ManualClock
    users: list[UserClient] = field(default_factory=list)

    @property
    def service(self) -> Governance:
        return self.runtime.features.governance

    def user(
        self, name: str, gov: str = "0", *, admin: bool = False, delegate: bool = True
    ) -> UserClient:
        """A registered user holding `gov` AIA_GOV, self-delegated unless told not to."""
        user = self.api.user(name, admin=admin)
        self.users.append(user)
        if gov != "0":
            self.fund(user, gov)
        if delegate:
            self.delegate(user, user)
        return user

    def fund(self, user: UserClient, amount: str) -> None:
        self.runtime.features.ledger.mint(
            Token.AIA_GOV,
            to_minor(amount),
            f"test-fund:{uuid.uuid4()}",
            "test",
            to_user=user.user_id,
        )

    def delegate(self, user: UserClient, to: UserClient | None) -> dict[str, Any]:
        response = user.post(
            "/v1/governance/delegate", json={"to": None if to is None else to.user_id}
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        return dict(response.json)

    def propose(self, user: UserClient, *actions: dict[str, Any], **extra: Any) -> dict[str, Any]:
        body = {
            "title": extra.pop("title", "Cut income tax"),
            "description": extra.pop("description", "Lower every marginal rate."),
            "actions": list(actions) or [TAX_CUT],
        }
        response = user.post("/v1/governance/proposals", json=body, **extra)
        assert response.status_code == 201, response.get_data(as_text=True)
        return dict(response.json)

    def vote(
        self, user: UserClient, proposal: dict[str, Any], support: str, conviction: int = 0
    ) -> Any:
        return user.post(
            f"/v1/governance/proposals/{proposal['id']}/votes",
            json={"support": support, "conviction": conviction},
        )

    def get(self, user: UserClient, proposal: dict[str, Any]) -> dict[str, Any]:
        response = user.get(f"/v1/governance/proposals/{proposal['id']}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return dict(response.json)

    def call(self, user: UserClient, proposal: dict[str, Any], action: str) -> Any:
        return user.post(f"/v1/governance/proposals/{proposal['id']}/{action}")

    def advance(self, seconds: float) -> None:
        """Move the clock; access tokens expire meanwhile, so everyone signs in again."""
        self.clock.advance(seconds)
        for user in self.users:
            tokens = self.api.client.post(
                "/v1/auth/login", json={"email": user.email, "password": PASSWORD}
            )
            assert tokens.status_code == 200, tokens.get_data(as_text=True)
            user.headers["Authorization"] = f"Bearer {tokens.json['access_token']}"

    def to_voting(self, proposal: dict[str, Any]) -> None:
        """Just past the snapshot: voting is open."""
        self.advance(DAY + 1)

    def past_deadline(self) -> None:
        self.advance(7 * DAY)

    def events(self, proposal: dict[str, Any] | None = None) -> list[tuple[str, dict[str, Any]]]:
        """Governance events published so far: (short type, data), oldest first."""
        found = []
        for message in self.runtime.bus.messages("governance"):
            data = json.loads(message.data)
            if proposal is None or data["proposal_id"] == str(proposal["id"]):
                found.append((message.attributes["ce-type"].rsplit(".", 1)[-1], data))
        return found


@pytest.fixture
def gov(accounts_api: ApiClient, accounts_runtime: LocalRuntime, clock: ManualClock) -> Gov:
    return Gov(accounts_api, accounts_runtime, clock)


@pytest.fixture
def gov_sqlite(api: ApiClient, app_runtime: LocalRuntime, clock: ManualClock) -> Gov:
    return Gov(api, app_runtime, clock)
