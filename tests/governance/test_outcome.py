"""Quorum is a share of the circulating AIA_GOV (the treasury's 10M genesis excluded), and
every proposal says why it passed or failed, with the numbers. On a fresh embedded
database, so the supply is exactly what each test mints."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from shared.ledger.postings import TREASURY
from shared.money import Token, to_minor
from tests.governance.conftest import Gov


@pytest.fixture
def gov10(gov_sqlite: Gov) -> Gov:
    """Governance with the default 10 % quorum."""
    service = gov_sqlite.service
    service.rules = dataclasses.replace(service.rules, quorum_bps=1000)
    return gov_sqlite


def _admin_mint(gov: Gov, user_id: str, amount: str) -> None:
    admin = gov.api.user("operator", admin=True)
    response = admin.post(
        "/v1/admin/mint", json={"user_id": user_id, "token": "AIA_GOV", "amount": amount}
    )
    assert response.status_code in (200, 201), response.get_data(as_text=True)


def test_quorum_is_ten_percent_of_circulating_aia_gov_not_of_the_treasury(gov10: Gov) -> None:
    gov = gov10
    book = gov.runtime.features.ledger.store
    assert book.balance(TREASURY, Token.AIA_GOV) == to_minor("10000000")  # genesis
    alice = gov.user("alice", "2000")
    bob = gov.user("bob", "1000")
    proposal = gov.propose(alice)
    gov.to_voting(proposal)
    # 3,000 AIA_GOV circulate (the treasury's 10M do not): quorum is 300
    detail = gov.get(alice, proposal)
    assert detail["quorum"] == "300.000000"
    assert detail["outcome"]["quorum"] == {
        "needed": "300.000000",
        "cast": "0.000000",
        "counts": "for+abstain",
        "percent_of_circulating_supply": "10",
        "reached": False,
    }
    # tokens minted after the snapshot change nothing for this proposal
    _admin_mint(gov, bob.user_id, "100000")
    assert gov.vote(alice, proposal, "for").status_code == 201
    gov.past_deadline()
    detail = gov.get(bob, proposal)
    assert detail["state"] == "Succeeded" and detail["quorum"] == "300.000000"


def test_a_defeated_proposal_says_quorum_was_not_reached_with_the_numbers(gov10: Gov) -> None:
    gov = gov10
    alice = gov.user("alice", "1000")
    gov.user("whale", "100000")  # circulates, does not vote
    proposal = gov.propose(alice)
    gov.to_voting(proposal)
    gov.vote(alice, proposal, "for")
    gov.past_deadline()
    detail = gov.get(alice, proposal)
    outcome = detail["outcome"]
    assert detail["state"] == "Defeated"
    assert outcome["result"] == "failed"
    assert outcome["quorum"]["needed"] == "10100.000000"  # 10 % of 101,000
    assert outcome["quorum"]["cast"] == "1000.000000"
    assert outcome["quorum"]["reached"] is False
    assert outcome["for_outweighs_against"] is True
    assert outcome["reason"] == (
        "Failed: quorum not reached (1,000 AIA_GOV cast of 10,100 AIA_GOV needed, 10 % of "
        "circulating AIA_GOV; For and Abstain count)."
    )
    listed = gov.api.user("reader").get("/v1/governance/proposals").json["proposals"]
    assert [p["outcome"]["reason"] for p in listed] == [outcome["reason"]]


def test_outvoted_and_passed_proposals_say_so(gov10: Gov) -> None:
    gov = gov10
    alice = gov.user("alice", "3000")
    bob = gov.user("bob", "2000")
    outvoted = gov.propose(alice)
    passed = gov.propose(bob, {"type": "inflation_target", "inflation_target": 0.03})
    gov.to_voting(outvoted)
    pending = gov.get(alice, outvoted)
    assert pending["outcome"]["result"] == "voting"
    assert pending["outcome"]["reason"].startswith("Voting is open until ")
    gov.vote(alice, outvoted, "for")  # 3,000 raw, weighs 300 unlocked
    gov.vote(bob, outvoted, "against", conviction=1)  # 2,000 locked x 1.1 = 2,200
    gov.vote(alice, passed, "for")
    gov.past_deadline()

    lost: dict[str, Any] = gov.get(alice, outvoted)["outcome"]
    assert lost["result"] == "failed" and lost["quorum"]["reached"] is True
    assert (lost["for_votes"], lost["against_votes"]) == ("300.000000", "2200.000000")
    assert lost["reason"] == (
        "Failed: For did not outweigh Against (300 to 2,200, conviction-weighted)."
    )
    won: dict[str, Any] = gov.get(bob, passed)["outcome"]
    assert won["result"] == "passed"
    assert won["reason"] == (
        "Passed: quorum reached (3,000 AIA_GOV cast of 500 AIA_GOV needed, 10 % of "
        "circulating AIA_GOV; For and Abstain count), and For outweighed Against "
        "(300 to 0, conviction-weighted)."
    )


def test_a_pending_proposal_states_the_rule_it_will_be_decided_by(gov10: Gov) -> None:
    alice = gov10.user("alice", "1000")
    outcome = gov10.propose(alice)["outcome"]
    assert outcome["result"] == "pending" and outcome["quorum"]["needed"] is None
    assert "a quorum of 10 % of the circulating AIA_GOV" in outcome["reason"]
