"""Operators read the event pipeline's state: unpublished outbox rows, dead letters by
type over a window, and this instance's error counters; all from the platform's records."""

from __future__ import annotations

from typing import Any

from shared.adapters.local.clock import ManualClock
from shared.adapters.sql.outbox import stage
from shared.bootstrap.sql import sql_engine
from shared.events.envelope import new_event
from shared.events.outbox import relay
from shared.operations.events import PurgeRequested
from shared.runtime.local import LocalRuntime
from tests.support.api import ApiClient

BACKLOG = "/v1/admin/events/backlog"


def _reject_a_purge(runtime: LocalRuntime) -> str:
    """A delivery the purge function rejects (an unknown field): it is dead-lettered."""
    event = new_event(PurgeRequested())
    runtime.bus.publish_raw(
        "maintenance",
        b'{"batch_size": 5, "unexpected": 1}',
        {"ce-type": PurgeRequested.event_type, "ce-id": event.id, "ce-source": "//test"},
    )
    runtime.dispatcher.drain()
    return event.id


def _purge_rate(backlog: dict[str, Any]) -> dict[str, Any]:
    rows = [
        e for e in backlog["error_rates"]["events"] if e["event_type"] == PurgeRequested.event_type
    ]
    return rows[0] if rows else {"handled": 0, "failed": 0, "dead_lettered": 0}


def test_outbox_dead_letters_and_error_rates(
    app_runtime: LocalRuntime, api: ApiClient, clock: ManualClock
) -> None:
    admin = api.user("ops", admin=True)
    before = admin.get(BACKLOG).json
    assert api.user("someone").get(BACKLOG).status_code == 403
    assert api.anonymous().get(BACKLOG).status_code == 401
    assert before["outbox"] == {
        "unpublished": 0,
        "oldest_staged_at": None,
        "oldest_age_seconds": None,
    }
    assert before["dead_letters"]["by_type"] == [] and before["dead_letters"]["complete"]

    # an event staged whose publish never happened (the process died after the commit)
    staged = new_event(PurgeRequested(batch_size=7))
    with sql_engine(app_runtime.platform).begin() as conn:
        stage(conn, [staged])
    _reject_a_purge(app_runtime)
    _reject_a_purge(app_runtime)

    after = admin.get(BACKLOG).json
    assert after["outbox"]["unpublished"] == 1
    assert after["outbox"]["oldest_staged_at"] is not None
    assert after["outbox"]["oldest_age_seconds"] >= 0
    assert after["dead_letters"]["by_type"] == [
        {"event_type": PurgeRequested.event_type, "recorded": 2, "not_replayed": 2}
    ]
    purge_before, purge_after = _purge_rate(before), _purge_rate(after)
    assert purge_after["dead_lettered"] - purge_before["dead_lettered"] == 2
    assert 0 < purge_after["error_rate"] <= 1
    rates = after["error_rates"]
    # the 403 and the 401 above are counted as the caller's errors, not ours
    assert rates["http_client_errors"] - before["error_rates"]["http_client_errors"] >= 2
    assert rates["http_requests"] > before["error_rates"]["http_requests"]
    assert rates["scope"] == "this instance, since it started"

    # the relay publishes the staged event; one dead letter is replayed
    assert relay(app_runtime.features.outbox, app_runtime.platform.events) == 1
    [letter, _] = admin.get("/v1/admin/dead-letters").json["dead_letters"]
    assert admin.post(f"/v1/admin/dead-letters/{letter['id']}/replay").status_code == 202
    # the replayed message is rejected again: a new dead letter, not yet replayed
    app_runtime.dispatcher.drain()
    relayed = admin.get(BACKLOG).json
    assert relayed["outbox"]["unpublished"] == 0
    assert relayed["dead_letters"]["by_type"] == [
        {"event_type": PurgeRequested.event_type, "recorded": 3, "not_replayed": 2}
    ]

    # a window that ends before they were recorded counts none of them
    clock.advance(3 * 3600)
    admin = api.user("ops-later", admin=True)  # the first sign-in's token has expired
    assert admin.get(BACKLOG, query_string={"hours": 2}).json["dead_letters"]["by_type"] == []
    assert len(admin.get(BACKLOG, query_string={"hours": 4}).json["dead_letters"]["by_type"]) == 1


def test_a_bad_window_is_a_problem_naming_the_field(api: ApiClient) -> None:
    admin = api.user("ops", admin=True)
    for hours in ("0", "721", "soon"):
        reply = admin.get(BACKLOG, query_string={"hours": hours})
        assert reply.status_code in (400, 422)
        assert reply.content_type == "application/problem+json"
        assert "hours" in reply.get_data(as_text=True)
    unknown = admin.get(BACKLOG, query_string={"days": "1"})
    assert unknown.status_code in (400, 422) and "days" in unknown.get_data(as_text=True)
