"""Execution publishes the policy change exactly once, whatever the retries and races,
and atomically with the state change (the SQL outbox)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select

from shared.adapters.sql.schema import outbox
from shared.events.outbox import relay
from tests.governance.conftest import DAY, Gov


def _queued(gov: Gov) -> tuple[Any, dict[str, Any]]:
    alice = gov.user("alice", "20000")
    proposal = gov.propose(alice, {"type": "inflation_target", "inflation_target": 0.025})
    gov.to_voting(proposal)
    gov.vote(alice, proposal, "for")
    gov.past_deadline()
    assert gov.call(alice, proposal, "queue").json["state"] == "Queued"
    gov.advance(2 * DAY)
    return alice, proposal


def _executed_events(gov: Gov, proposal: dict[str, Any]) -> list[dict[str, Any]]:
    return [data for kind, data in gov.events(proposal) if kind == "executed"]


def test_concurrent_and_repeated_execution_publishes_once(gov: Gov) -> None:
    alice, proposal = _queued(gov)

    def execute(_: int) -> tuple[int, str]:
        response = gov.call(alice, proposal, "execute")
        return response.status_code, response.json["state"]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(execute, range(8)))
    assert results == [(200, "Executed")] * 8
    for _ in range(3):  # client retries
        assert gov.call(alice, proposal, "execute").status_code == 200
    [executed] = _executed_events(gov, proposal)
    assert executed["changes"] == {"monetary": {"inflation_target": 0.025}}
    engine = gov.runtime.platform.sql.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        staged = [
            json.loads(row.data)
            for row in conn.execute(select(outbox.c.data)).all()
            if json.loads(row.data).get("proposal_id") == str(proposal["id"])
        ]
    assert [d["state"] for d in staged].count("Executed") == 1


def test_a_failed_publish_is_relayed_from_the_outbox(
    gov: Gov, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, proposal = _queued(gov)
    bus = gov.runtime.platform.events
    real_publish = bus.publish

    def broken(event: Any) -> str:
        raise ConnectionError("pub/sub is down")

    monkeypatch.setattr(bus, "publish", broken)
    executed = gov.call(alice, proposal, "execute")
    assert executed.status_code == 200 and executed.json["state"] == "Executed"  # stored
    assert _executed_events(gov, proposal) == []  # not yet announced
    monkeypatch.setattr(bus, "publish", real_publish)
    relay(gov.runtime.features.outbox, bus)
    relay(gov.runtime.features.outbox, bus)
    assert len(_executed_events(gov, proposal)) == 1
