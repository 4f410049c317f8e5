"""Conviction voting: k lock periods weigh 1 + 0.1 k (capped at 3.0), unlocked tokens
0.1; locked AIA_GOV sits in a ledger lock account until k periods after voting closes,
still counts as its owner's voting power, and comes back once."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from shared.governance.records import Vote, lock_owner
from shared.governance.rules import GovernanceRules, Support
from shared.ledger.postings import user_owner
from shared.money import Token, to_minor
from shared.settings import Settings
from tests.governance.conftest import DAY, Gov


def test_multipliers_and_weights() -> None:
    rules = GovernanceRules.from_settings(Settings())
    assert [rules.multiplier_bps(k) for k in range(7)] == [
        1000,
        11_000,
        12_000,
        13_000,
        14_000,
        15_000,
        16_000,
    ]
    steep = dataclasses.replace(rules, conviction_step_bps=5000)
    assert steep.multiplier_bps(6) == 30_000  # 1 + 0.5 * 6 = 4.0, capped at 3.0
    assert rules.vote_weight(1000, 0, 0) == 100
    assert rules.vote_weight(1000, 1000, 3) == 1300
    assert rules.vote_weight(1000, 400, 2) == 400 * 12 // 10 + 600 // 10  # boosted + rest
    assert rules.vote_weight(1000, 5000, 1) == 1100  # never more than the power is boosted
    closes = datetime(2026, 1, 8, tzinfo=UTC)
    assert rules.lock_release(closes, 2) == closes + timedelta(days=14)  # period = voting period


def test_locks_boost_the_vote_stay_voting_power_and_come_back_once(gov: Gov) -> None:
    book = gov.runtime.features.ledger
    alice = gov.user("alice", "20000")
    bob = gov.user("bob", "3000", delegate=False)
    carol = gov.user("carol", "1000")
    gov.delegate(bob, carol)
    first = gov.propose(alice)
    gov.to_voting(first)

    too_long = gov.vote(alice, first, "for", conviction=7)
    assert too_long.status_code == 400 and too_long.json["errors"][0]["field"] == "conviction"
    vote = gov.vote(alice, first, "for", conviction=3).json
    assert vote["locked"] == "20000.000000" and vote["weight"] == "26000.000000"
    # carol locks her own 1000; bob's delegated 3000 stay unlocked at 0.1
    partial = gov.vote(carol, first, "against", conviction=2).json
    assert partial["voting_power"] == "4000.000000"
    assert partial["locked"] == "1000.000000" and partial["weight"] == "1500.000000"

    lock = lock_owner(alice.user_id, first["id"])
    assert book.store.balance(lock, Token.AIA_GOV) == to_minor("20000")
    assert alice.get("/v1/wallet").json["balances"]["AIA_GOV"] == "0.000000"
    assert alice.get("/v1/governance/voting-power").json["votes"] == "20000.000000"

    # a later proposal's snapshot falls inside the lock: the locked tokens still vote,
    # but cannot be locked a second time
    gov.past_deadline()
    second = gov.propose(carol)
    gov.to_voting(second)
    assert gov.vote(alice, second, "for", conviction=1).json["type"].endswith("/nothing-to-lock")
    again = gov.vote(alice, second, "for")
    assert again.status_code == 201 and again.json["voting_power"] == "20000.000000"

    release_at = vote["lock_release_at"]
    gov.service.advance()
    assert book.store.balance(lock, Token.AIA_GOV) == to_minor("20000")  # not yet
    gov.advance(3 * 7 * DAY)
    assert gov.clock.now().isoformat() >= release_at.replace("Z", "+00:00")
    gov.service.advance()
    gov.service.advance()
    assert book.store.balance(lock, Token.AIA_GOV) == 0
    assert book.store.balance(user_owner(alice.user_id), Token.AIA_GOV) == to_minor("20000")
    released = gov.get(alice, first)["your_vote"]
    assert released["lock_state"] == "released"
    unlocks = [
        e
        for e in book.store.history(user_owner(alice.user_id), 50, None)
        if e.kind == "governance_unlock"
    ]
    assert len(unlocks) == 1


def test_canceling_releases_locks_at_once(gov: Gov) -> None:
    book = gov.runtime.features.ledger
    alice = gov.user("alice", "20000")
    bob = gov.user("bob", "5000")
    proposal = gov.propose(alice)
    gov.to_voting(proposal)
    gov.vote(bob, proposal, "against", conviction=6)
    assert book.store.balance(user_owner(bob.user_id), Token.AIA_GOV) == 0
    gov.call(alice, proposal, "cancel")
    gov.service.advance()
    assert book.store.balance(user_owner(bob.user_id), Token.AIA_GOV) == to_minor("5000")


def test_an_interrupted_lock_is_finished_or_the_vote_counts_unlocked(gov: Gov) -> None:
    """A crash between storing the vote and posting its lock: the job completes the lock
    when the tokens are there, or else counts the vote without conviction."""
    book = gov.runtime.features.ledger
    alice = gov.user("alice", "20000")
    bob = gov.user("bob", "2000")
    carol = gov.user("carol", "2000")
    proposal = gov.propose(alice)
    gov.to_voting(proposal)
    service = gov.service
    for user in (bob, carol):
        service.store.add_vote(
            Vote(
                proposal_id=proposal["id"],
                voter_id=user.user_id,
                support=Support.FOR,
                power=to_minor("2000"),
                conviction=1,
                locked=to_minor("2000"),
                weight=to_minor("2200"),
                reason="",
                cast_at=gov.clock.now(),
                lock_state="pending",
                release_at=gov.clock.now() + timedelta(days=14),
            )
        )
    book.transfer(carol.user_id, alice.user_id, Token.AIA_GOV, to_minor("1"), "spent")
    gov.advance(10 * 60)
    gov.service.advance()
    votes = {
        v["voter_id"]: v
        for v in alice.get(f"/v1/governance/proposals/{proposal['id']}/votes").json["votes"]
    }
    assert votes[bob.user_id]["lock_state"] == "held"
    assert book.store.balance(lock_owner(bob.user_id, proposal["id"]), Token.AIA_GOV) == to_minor(
        "2000"
    )
    assert votes[carol.user_id]["lock_state"] == "none"
    assert (
        votes[carol.user_id]["weight"] == "200.000000"
        and votes[carol.user_id]["locked"] == "0.000000"
    )


def test_a_lock_from_one_vote_is_named_with_its_release_when_it_blocks_the_next(
    gov: Gov,
) -> None:
    alice = gov.user("alice", "20000")
    carol = gov.user("carol", "1000")
    first = gov.propose(alice)
    gov.to_voting(first)
    held = gov.vote(alice, first, "for", conviction=3).json
    release_at = held["lock_release_at"]
    assert held["lock_note"] is None and held["unlocked_power"] == "0.000000"

    power = alice.get("/v1/governance/voting-power").json
    assert power["balance"] == "0.000000" and power["votes"] == "20000.000000"
    assert power["locked"] == "20000.000000"
    assert power["locks"] == [
        {"proposal_id": first["id"], "amount": "20000.000000", "release_at": release_at}
    ]
    # the wallet's view of the same locks (the ConvictionLocks port)
    [lock] = gov.service.conviction_locks(alice.user_id)
    assert (lock.proposal_id, lock.token, lock.amount) == (
        first["id"],
        Token.AIA_GOV,
        20000 * 10**6,
    )

    gov.past_deadline()
    second = gov.propose(carol)
    gov.to_voting(second)
    detail = gov.get(alice, second)
    assert [x["proposal_id"] for x in detail["your_locks"]] == [first["id"]]

    refused = gov.vote(alice, second, "for", conviction=2)
    assert refused.status_code == 409
    problem = refused.json
    assert problem["type"].endswith("/nothing-to-lock")
    assert problem["errors"][0]["field"] == "conviction"
    when = datetime.fromisoformat(release_at.replace("Z", "+00:00"))
    assert (
        f"20,000 AIA_GOV until {when:%Y-%m-%d %H:%M:%S} UTC (proposal {first['id']})"
        in problem["detail"]
    )
    assert "conviction 0" in problem["detail"]

    # 5,000 more arrive after the snapshot: the vote locks them and says what the rest is
    gov.fund(alice, "5000")
    partial = gov.vote(alice, second, "for", conviction=2)
    assert partial.status_code == 201
    vote = partial.json
    assert vote["voting_power"] == "20000.000000" and vote["locked"] == "5000.000000"
    assert vote["unlocked_power"] == "15000.000000"
    assert vote["locks_elsewhere"] == power["locks"]
    assert vote["lock_note"].startswith(
        "5,000 AIA_GOV of your 20,000 AIA_GOV of voting power is locked here until "
    )
    assert f"(proposal {first['id']})" in vote["lock_note"]
    again = gov.vote(alice, second, "for", conviction=2)
    assert again.status_code == 200 and again.json["lock_note"] == vote["lock_note"]
