"""Delivery as Pub/Sub does it, against the production topology: a poison message is
retried with the subscription's backoff and dead-lettered after its max attempts; a
function's process killed mid-stream loses nothing and applies nothing twice once its
new instance is up."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text

from scripts.topology.cloud_admin import DEAD_LETTER_PULL
from scripts.topology.launcher import Topology
from shared.accounts.events import EmailVerified
from tests.support.serve import wait_until
from tests.topology.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, TOPOLOGY, Api, publish

GRANTS = "grant-signup-bonus"

pytestmark = TOPOLOGY


def grants_paid(topology: Topology, user_ids: list[str]) -> dict[str, int]:
    """How many welcome-grant ledger entries each user has (0, 1 or, wrongly, more)."""
    engine = create_engine(topology.database_url)
    keys = [f"signup-grant:{u}" for u in user_ids]
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT idempotency_key, count(*) FROM ledger_entries"
                " WHERE idempotency_key = ANY(:keys) GROUP BY idempotency_key"
            ),
            {"keys": keys},
        ).all()
    engine.dispose()
    found = {str(key).removeprefix("signup-grant:"): int(n) for key, n in rows}
    return {u: found.get(u, 0) for u in user_ids}


def test_a_poison_message_is_dead_lettered_after_the_max_attempts(
    topology: Topology, api: Api
) -> None:
    # valid by its schema, refused by the database every time: the ledger's owner column
    # holds 100 characters, so granting to this user id fails on each delivery
    poison = EmailVerified(user_id="x" * 200, email="poison@example.com", welcome_grant=True)
    subscription = topology.manifest.function(GRANTS).subscription
    attempts = topology.manifest.function(GRANTS).pubsub.max_delivery_attempts  # type: ignore[union-attr]
    refused_before = topology.relay.refused.get(subscription, 0)
    event_id = publish(topology, poison)

    found: list[dict[str, object]] = []

    def dead_lettered() -> bool:
        for item in topology.pubsub.pull(DEAD_LETTER_PULL, 50):
            message = item["message"]
            assert isinstance(message, dict)
            if message.get("attributes", {}).get("ce-id") == event_id:
                found.append(message)
        return bool(found)

    wait_until(dead_lettered, 60)
    # every attempt reached the function and was refused; none after the last
    assert topology.relay.refused.get(subscription, 0) - refused_before == attempts
    # record-dead-letter (its own process, pushed from the dead-letter topic) kept it
    admin = api.login(ADMIN_EMAIL, ADMIN_PASSWORD)

    def recorded() -> bool:
        listed = api.call("GET", "/v1/admin/dead-letters?limit=100", admin).json()
        return any(d.get("event_id") == event_id for d in listed["dead_letters"])

    wait_until(recorded, 30)


# Longer than the ten attempts of the grants' subscription take at the scaled backoff
# (10 ms doubling to 600 ms: ~2.4 s), so a relay that counted each refused connection as
# an attempt would dead-letter messages here (never paid), as it did on a loaded CI machine.
COLD_START = 5.0


def test_a_function_killed_mid_stream_loses_and_duplicates_nothing(topology: Topology) -> None:
    process = topology.fleet.processes[GRANTS]
    subscription = topology.manifest.function(GRANTS).subscription
    starts_before = process.starts
    pushed_before = topology.relay.pushed.get(subscription, 0)
    users = [f"kill-{uuid.uuid4().hex[:12]}" for _ in range(100)]
    for user in users:
        verified = EmailVerified(user_id=user, email=f"{user}@example.com", welcome_grant=True)
        publish(topology, verified)

    # some of them in: kill the process while the rest are still coming
    wait_until(lambda: topology.relay.pushed.get(subscription, 0) - pushed_before >= 5, 30)
    topology.fleet.kill(GRANTS, down_for=COLD_START)
    at_kill = topology.relay.pushed.get(subscription, 0) - pushed_before
    print(f"killed after {at_kill} of {len(users)}")
    # ready = /ready answers 200: the new instance has built its ports (slower than
    # listening on a loaded machine)
    wait_until(lambda: process.starts > starts_before and process.ready(), 60)
    assert process.ready()

    wait_until(lambda: all(n >= 1 for n in grants_paid(topology, users).values()), 60)
    paid = grants_paid(topology, users)
    assert set(paid.values()) == {1}, {u: n for u, n in paid.items() if n != 1}
    assert at_kill < len(users), "the stream was over before the kill: nothing was tested"
