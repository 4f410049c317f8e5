"""The README's "Try governance locally" recipe, step by step through the API: its
variables (read from the README, so a renamed setting fails here) shorten the timings,
the admin mints AIA_GOV, the voter delegates, proposes, votes, waits the short voting
period, queues, executes, and sees the live economy's policy change."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from shared.settings import Settings
from tests.governance.conftest import Gov

README = Path(__file__).resolve().parents[2] / "README.md"


def _recipe() -> str:
    text = README.read_text()
    start = text.index("<!-- recipe: governance")
    return text[start : text.index("```\n", text.index("```sh", start) + 5)]


def _bodies(recipe: str, shell: dict[str, str]) -> list[dict[str, object]]:
    """The JSON bodies (`-d '{...}'`, or `-d "{...}"` with shell variables) in the order
    the recipe sends them."""
    bodies = []
    for single, double in re.findall(r"-d (?:'(\{.*?\})'|\"(\{.*?\})\")", recipe):
        body = single or re.sub(r"\$(\w+)", lambda m: shell[m.group(1)], double.replace('\\"', '"'))
        bodies.append(json.loads(body))
    return bodies


def _variables(recipe: str) -> dict[str, str]:
    return dict(re.findall(r"\b(AIA_[A-Z_]+)=(\S+)", recipe))


@pytest.fixture
def settings(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Settings:  # the recipe's settings, the default quorum
    variables = _variables(_recipe())
    assert variables, "the recipe sets no variables"
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    fields = [name.removeprefix("AIA_").lower() for name in variables]
    unknown = [f for f in fields if f not in Settings.model_fields]
    assert not unknown, f"the recipe names settings that do not exist: {unknown}"
    recipe = Settings()
    return settings.model_copy(
        update={
            **{f: getattr(recipe, f) for f in fields},
            "governance_quorum_bps": Settings.model_fields["governance_quorum_bps"].default,
        }
    )


def test_the_readme_recipe_takes_a_proposal_to_the_live_economy(
    gov_sqlite: Gov, settings: Settings
) -> None:
    gov, recipe = gov_sqlite, _recipe()
    ada = gov.api.user("ada")
    gov.users.append(ada)
    admin = gov.api.user("operator", admin=True)
    ada_id = ada.get("/v1/me").json["user_id"]
    credentials, mint, delegation, proposal_body, vote_body = _bodies(recipe, {"ADA": ada_id})
    makefile = (README.parent / "Makefile").read_text()  # `make run`'s first admin
    assert f"AIA_ADMIN_EMAIL ?= {credentials['email']}" in makefile
    assert f"AIA_ADMIN_PASSWORD ?= {credentials['password']}" in makefile
    assert mint == {"user_id": ada_id, "token": "AIA_GOV", "amount": "5000"}
    [wait] = [int(s) for s in re.findall(r"^sleep (\d+)", recipe, re.MULTILINE)]
    assert wait > settings.governance_voting_period_seconds  # the sleep covers the vote
    assert settings.governance_voting_delay_seconds == 0
    assert settings.governance_timelock_seconds == 0

    minted = admin.post("/v1/admin/mint", json=mint)
    assert minted.status_code == 201, minted.get_data(as_text=True)
    delegated = ada.post("/v1/governance/delegate", json=delegation)
    assert delegated.status_code == 200 and delegated.json["votes"] == "5000.000000"

    made = ada.post("/v1/governance/proposals", json=proposal_body)
    assert made.status_code == 201, made.get_data(as_text=True)
    proposal = made.json
    gov.clock.advance(1)  # the next command, a moment later: voting is open at once
    vote = ada.post(f"/v1/governance/proposals/{proposal['id']}/votes", json=vote_body)
    assert vote.status_code == 201, vote.get_data(as_text=True)
    assert vote.json["locked"] == "5000.000000"

    gov.advance(wait)
    outcome = gov.get(ada, proposal)["outcome"]
    assert outcome["result"] == "passed"
    # 5,000 AIA_GOV circulate (the treasury's 10M do not): quorum 10 % of it
    assert outcome["quorum"]["needed"] == "500.000000"
    assert outcome["quorum"]["cast"] == "5000.000000"
    assert outcome["reason"].startswith("Passed: quorum reached (5,000 AIA_GOV cast of 500")

    queued = gov.call(ada, proposal, "queue")
    assert queued.status_code == 200 and queued.json["state"] == "Queued"
    executed = gov.call(ada, proposal, "execute")
    assert executed.status_code == 200 and executed.json["state"] == "Executed"
    gov.runtime.dispatcher.drain()  # the executed proposal reaches the live economy

    policy = gov.api.anonymous().get("/v1/economy/policy").json
    assert policy["policy"]["monetary"]["inflation_target"] == 0.03
    assert policy["changed_by_proposal"] == {
        "id": proposal["id"],
        "title": proposal_body["title"],
        "url": f"/v1/governance/proposals/{proposal['id']}",
    }
    # the lock is said, with its release a conviction period after the vote closed
    power = ada.get("/v1/governance/voting-power").json
    assert power["locked"] == "5000.000000"
    [lock] = power["locks"]
    assert lock["proposal_id"] == proposal["id"]
    assert lock["release_at"] == vote.json["lock_release_at"]
