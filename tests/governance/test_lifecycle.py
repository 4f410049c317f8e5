"""A proposal's life on the manual clock: Pending -> Active -> Succeeded -> Queued ->
Executed, and the other ends (Defeated, Expired, Canceled), with the events each state
change publishes exactly once."""

from __future__ import annotations

import json

from shared.events.envelope import new_event
from shared.governance.events import GovernanceTickRequested
from shared.simulation.params import SimulationParams
from tests.governance.conftest import DAY, TAX_CUT, Gov


def tick(gov: Gov) -> None:
    """The scheduled job, through the real function and the local bus."""
    gov.runtime.bus.publish(new_event(GovernanceTickRequested(), time=gov.clock.now()))
    gov.runtime.dispatcher.drain()


def test_pending_active_succeeded_queued_executed(gov: Gov) -> None:
    alice = gov.user("alice", "20000")
    bob = gov.user("bob", "3000")
    proposal = gov.propose(alice, TAX_CUT, title="Cut income tax by a tenth")
    assert proposal["state"] == "Pending"
    assert proposal["quorum"] is None  # the snapshot is still ahead
    assert proposal["changes"]["fiscal"]["tax_brackets"][3] == {"threshold": 3.0, "rate": 0.42}
    early = gov.vote(bob, proposal, "for")
    assert early.status_code == 409 and "Pending" in early.json["detail"]

    gov.to_voting(proposal)
    assert gov.get(bob, proposal)["state"] == "Active"
    tick(gov)
    assert gov.vote(alice, proposal, "for").status_code == 201
    assert gov.vote(bob, proposal, "against").status_code == 201
    detail = gov.get(alice, proposal)
    assert detail["tally"]["for_power"] == "20000.000000"
    assert detail["tally"]["for_votes"] == "2000.000000"  # unlocked votes weigh 0.1
    assert detail["tally"]["against_votes"] == "300.000000"
    assert detail["your_vote"]["support"] == "for"
    assert detail["quorum_reached"] is True

    gov.advance(6 * DAY)  # within a day of the close: the reminder
    tick(gov)
    gov.advance(DAY)
    assert gov.get(bob, proposal)["state"] == "Succeeded"
    assert gov.call(bob, proposal, "execute").status_code == 409  # not queued
    queued = gov.call(bob, proposal, "queue")  # anyone may queue
    assert queued.status_code == 200 and queued.json["state"] == "Queued"
    assert gov.call(bob, proposal, "queue").json["state"] == "Queued"  # a retry is harmless
    locked = gov.call(alice, proposal, "execute")
    assert locked.status_code == 409 and locked.json["type"].endswith("/timelock")

    gov.advance(2 * DAY)
    executed = gov.call(alice, proposal, "execute")
    assert executed.status_code == 200 and executed.json["state"] == "Executed"
    again = gov.call(bob, proposal, "execute")
    assert again.status_code == 200 and again.json["executed_at"] == executed.json["executed_at"]
    tick(gov)
    tick(gov)

    kinds = [kind for kind, _ in gov.events(proposal)]
    assert kinds == [
        "created",
        "voting_started",
        "voting_ends_soon",
        "succeeded",
        "queued",
        "executed",
    ]
    [(_, change)] = [e for e in gov.events(proposal) if e[0] == "executed"]
    assert change["target"] == "flagship" and change["state"] == "Executed"
    # what the live simulation receives applies as is
    applied = SimulationParams().with_policy_changes(change["changes"])
    assert [b.rate for b in applied.policy.fiscal.tax_brackets] == [0.10, 0.22, 0.33, 0.42]


def test_defeated_without_quorum_or_majority(gov: Gov) -> None:
    alice = gov.user("alice", "2000")
    bob = gov.user("bob", "3000")
    carol = gov.user("carol", "1000")
    outvoted = gov.propose(alice)
    unattended = gov.propose(carol, {"type": "inflation_target", "inflation_target": 0.03})
    gov.to_voting(outvoted)
    gov.vote(alice, outvoted, "for")
    gov.vote(bob, outvoted, "against")
    gov.past_deadline()
    for proposal in (outvoted, unattended):
        detail = gov.get(alice, proposal)
        assert detail["state"] == "Defeated"
        assert gov.call(alice, proposal, "queue").status_code == 409
    assert gov.get(alice, unattended)["quorum_reached"] is False
    gov.service.advance()
    gov.service.advance()
    assert [k for k, _ in gov.events(outvoted)] == ["created", "defeated"]
    [(_, defeated)] = [e for e in gov.events(unattended) if e[0] == "defeated"]
    assert defeated["quorum_reached"] is False and defeated["state"] == "Defeated"


def test_queued_and_not_executed_expires_after_the_grace_period(gov: Gov) -> None:
    alice = gov.user("alice", "20000")
    proposal = gov.propose(alice, {"type": "taylor_rule", "inflation_response": 1.5})
    gov.to_voting(proposal)
    gov.vote(alice, proposal, "for")
    gov.past_deadline()
    queued = gov.call(alice, proposal, "queue").json
    assert queued["expires_at"] is not None
    gov.advance(2 * DAY + 14 * DAY - 1)
    assert gov.get(alice, proposal)["state"] == "Queued"  # still executable, barely
    gov.advance(1)
    assert gov.get(alice, proposal)["state"] == "Expired"
    assert gov.call(alice, proposal, "execute").status_code == 409
    gov.service.advance()
    gov.service.advance()
    kinds = [k for k, _ in gov.events(proposal)]
    assert kinds.count("expired") == 1 and "executed" not in kinds


def test_cancel_rules(gov: Gov) -> None:
    alice = gov.user("alice", "20000")
    bob = gov.user("bob", "2000")
    admin = gov.user("root", admin=True, delegate=False)
    mine = gov.propose(alice)
    stranger = gov.call(bob, mine, "cancel")
    assert stranger.status_code == 403  # proposals are public: forbidden, not hidden
    canceled = gov.call(alice, mine, "cancel")
    assert canceled.status_code == 200 and canceled.json["state"] == "Canceled"
    assert gov.call(alice, mine, "cancel").json["canceled_at"] == canceled.json["canceled_at"]

    # an admin cancels an active proposal; votes on it are then refused
    active = gov.propose(bob)
    gov.to_voting(active)
    assert gov.call(admin, active, "cancel").json["canceled_by"] == admin.user_id
    assert gov.vote(bob, active, "for").status_code == 409

    # anyone cancels once the proposer's power fell below the threshold (Bravo)
    gov.past_deadline()
    weak = gov.propose(alice)
    gov.delegate(alice, None)
    assert gov.call(bob, weak, "cancel").json["state"] == "Canceled"

    # but never an executed one
    gov.delegate(alice, alice)
    gov.advance(8 * DAY)
    done = gov.propose(alice)
    gov.to_voting(done)
    gov.vote(alice, done, "for")
    gov.past_deadline()
    gov.call(alice, done, "queue")
    gov.advance(2 * DAY)
    gov.call(alice, done, "execute")
    refused = gov.call(alice, done, "cancel")
    assert refused.status_code == 409 and gov.get(alice, done)["state"] == "Executed"

    kinds = {p["id"]: [k for k, _ in gov.events(p)] for p in (mine, active, weak)}
    assert all(k == ["created", "canceled"] for k in kinds.values())
    [(_, data)] = [e for e in gov.events(active) if e[0] == "canceled"]
    assert json.dumps(data["canceled_by"]) == json.dumps(admin.user_id)


def test_listing_filters_by_state(gov: Gov) -> None:
    alice = gov.user("alice", "2000")
    bob = gov.user("bob", "2000")
    first = gov.propose(alice)
    gov.call(alice, first, "cancel")
    second = gov.propose(bob)
    listed = alice.get("/v1/governance/proposals?limit=100").json["proposals"]
    ids = [p["id"] for p in listed]
    assert ids.index(second["id"]) < ids.index(first["id"])  # newest first
    pending = alice.get("/v1/governance/proposals?state=Pending&limit=100").json["proposals"]
    assert second["id"] in [p["id"] for p in pending]
    assert first["id"] not in [p["id"] for p in pending]
    assert alice.get("/v1/governance/proposals/999999999").status_code == 404
    assert alice.get("/v1/governance/proposals/abc").status_code == 404
    rules = alice.get("/v1/governance/parameters").json
    assert rules["proposal_threshold"] == "1000.000000" and rules["timelock_seconds"] == 2 * DAY
    assert rules["conviction_multipliers"] == {
        "0": "0.1",
        "1": "1.1",
        "2": "1.2",
        "3": "1.3",
        "4": "1.4",
        "5": "1.5",
        "6": "1.6",
    }
