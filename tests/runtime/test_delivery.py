"""Delivery semantics of the local runtime: what Pub/Sub promises, on the same code
path the functions take in production."""

from __future__ import annotations

import itertools
import json
import logging
import threading
from datetime import timedelta

import pytest
from probe_events import ProbeHappened

from shared.events.codec import encode
from shared.events.envelope import new_event
from shared.operations.dead_letters import DEAD_LETTERS
from shared.runtime.local import LocalRuntime


def probe_log(runtime: LocalRuntime, key: str = "unkeyed") -> list[int]:
    doc = runtime.platform.documents.get("probe_log", key)
    return [] if doc is None else list(doc["values"])


def attempts_at(runtime: LocalRuntime, event_id: str) -> list[float]:
    doc = runtime.platform.documents.get("probe_attempts", event_id)
    return [] if doc is None else list(doc["at"])


def test_an_event_is_applied_and_its_follow_up_published(probe_runtime: LocalRuntime) -> None:
    event = new_event(ProbeHappened(value=7, follow_up=True))
    probe_runtime.bus.publish(event)
    probe_runtime.dispatcher.drain()
    assert probe_log(probe_runtime) == [7]
    follow_ups = probe_runtime.bus.messages("probe-follow-ups")
    assert len(follow_ups) == 1
    assert json.loads(follow_ups[0].data) == {"value": 7}


def test_duplicate_delivery_applies_once(probe_runtime: LocalRuntime) -> None:
    event = new_event(ProbeHappened(value=1, follow_up=True))
    raw = encode(event)
    for _ in range(3):  # the broker hands the same message over three times
        probe_runtime.bus.publish_raw("probes", raw.data, raw.attributes, raw.ordering_key)
    probe_runtime.dispatcher.drain()
    assert probe_log(probe_runtime) == [1]
    follow_ups = probe_runtime.bus.messages("probe-follow-ups")
    # the replays re-publish the stored follow-up under the same id: downstream dedups it
    assert len({m.attributes["ce-id"] for m in follow_ups}) == 1


def test_failing_handler_is_retried_with_exponential_backoff(
    probe_runtime: LocalRuntime,
) -> None:
    event = new_event(ProbeHappened(value=5, fail_times=3))
    probe_runtime.bus.publish(event)
    probe_runtime.dispatcher.drain()
    times = attempts_at(probe_runtime, event.id)
    assert len(times) == 4
    gaps = [round(b - a) for a, b in itertools.pairwise(times)]
    assert gaps == [10, 20, 40]  # manifest: minimum 10 s, doubling
    assert probe_log(probe_runtime) == [5]
    assert probe_runtime.bus.messages("dead-letters") == []


def test_exhausted_deliveries_are_dead_lettered_and_recorded(
    probe_runtime: LocalRuntime,
) -> None:
    event = new_event(ProbeHappened(value=9, fail_times=1000))
    probe_runtime.bus.publish(event)
    probe_runtime.dispatcher.drain()
    assert len(attempts_at(probe_runtime, event.id)) == 5  # max_delivery_attempts
    assert probe_log(probe_runtime) == []
    [dead] = probe_runtime.bus.messages("dead-letters")
    assert dead.attributes["ce-id"] == event.id
    assert dead.attributes["CloudPubSubDeadLetterSourceDeliveryCount"] == "5"
    [(_, record)] = probe_runtime.platform.documents.query(DEAD_LETTERS)
    assert record["event_id"] == event.id
    assert "exhausted" in record["reason"]


@pytest.mark.parametrize(
    ("attributes", "data", "reason"),
    [
        ({"ce-type": "tech.013a.test.nobody.knows", "ce-id": "u1"}, b"{}", "no model"),
        (
            {"ce-type": "tech.013a.test.probe.happened", "ce-id": "u2"},
            b'{"value": "not a number"}',
            "invalid data",
        ),
        ({"ce-type": "tech.013a.test.probe.happened", "ce-id": "u3"}, b"{not json", "invalid data"),
        ({"ce-id": "u4"}, b"{}", "no ce-type"),
    ],
)
def test_invalid_event_is_dead_lettered_with_a_log_line(
    probe_runtime: LocalRuntime,
    caplog: pytest.LogCaptureFixture,
    attributes: dict[str, str],
    data: bytes,
    reason: str,
) -> None:
    caplog.set_level(logging.ERROR, logger="aia.events")
    probe_runtime.bus.publish_raw("probes", data, attributes)
    probe_runtime.dispatcher.drain()
    [dead] = probe_runtime.bus.messages("dead-letters")
    assert reason in dead.attributes["aia-dead-letter-reason"]
    assert dead.attributes["aia-dead-letter-subscriber"] == "probe-record"
    # acknowledged at once: one attempt, never retried
    assert probe_runtime.bus.pending_count() == 0
    assert any("dead-lettered" in r.getMessage() for r in caplog.records)
    [(_, record)] = probe_runtime.platform.documents.query(DEAD_LETTERS)
    assert reason in record["reason"]


def test_events_with_one_ordering_key_are_handled_in_order(
    probe_runtime: LocalRuntime,
) -> None:
    # the first event of key "a" fails twice: everything after it on "a" must wait
    probe_runtime.bus.publish(new_event(ProbeHappened(value=0, key="a", fail_times=2)))
    for value in range(1, 20):
        probe_runtime.bus.publish(new_event(ProbeHappened(value=value, key="a")))
        probe_runtime.bus.publish(new_event(ProbeHappened(value=value, key="b")))
    probe_runtime.dispatcher.drain()
    assert probe_log(probe_runtime, "a") == list(range(20))
    assert probe_log(probe_runtime, "b") == list(range(1, 20))


def test_ordering_holds_with_concurrent_workers(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from shared.adapters.local.clock import SystemClock
    from shared.wiring.manifest import load_manifest
    from tests.conftest import FIXTURE, ROOT

    runtime = LocalRuntime(
        settings,
        [FIXTURE, ROOT],
        clock=SystemClock(),
        manifest=load_manifest(FIXTURE / "manifest.yaml"),
    )
    try:
        for value in range(40):
            for key in ("a", "b", "c"):
                runtime.bus.publish(new_event(ProbeHappened(value=value, key=key)))
        done = threading.Event()
        runtime.dispatcher.start(workers=4)
        for _ in range(400):
            if runtime.bus.pending_count() == 0:
                done.set()
                break
            threading.Event().wait(0.05)
        assert done.is_set(), "deliveries did not finish"
        for key in ("a", "b", "c"):
            assert probe_log(runtime, key) == list(range(40))
    finally:
        runtime.stop()


def test_pending_deliveries_survive_a_restart(settings, clock) -> None:  # type: ignore[no-untyped-def]
    from shared.wiring.manifest import load_manifest
    from tests.conftest import FIXTURE, ROOT

    manifest = load_manifest(FIXTURE / "manifest.yaml")
    first = LocalRuntime(settings, [FIXTURE, ROOT], clock=clock, manifest=manifest)
    first.bus.publish(new_event(ProbeHappened(value=3)))
    claimed = first.bus.claim()  # in flight when the process dies
    assert claimed is not None
    first.stop()
    second = LocalRuntime(settings, [FIXTURE, ROOT], clock=clock, manifest=manifest)
    assert second.bus.recover() == 1
    second.dispatcher.drain()
    assert probe_log(second) == [3]


def test_scheduled_job_fires_once_per_slot(probe_runtime: LocalRuntime, clock) -> None:  # type: ignore[no-untyped-def]
    assert probe_runtime.scheduler.tick() == []  # first sight: remember, don't fire
    clock.advance(timedelta(minutes=4, seconds=59).total_seconds())
    assert probe_runtime.scheduler.tick() == []
    clock.advance(timedelta(minutes=12).total_seconds())  # two slots missed: one firing
    fired = probe_runtime.scheduler.tick()
    assert len(fired) == 1
    assert probe_runtime.scheduler.tick() == []
    # the same slot fired again (two instances, a restart) is applied once
    probe_runtime.bus.publish(fired[0])
    probe_runtime.dispatcher.drain()
    assert probe_log(probe_runtime) == [99]
