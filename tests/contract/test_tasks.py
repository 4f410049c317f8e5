"""TaskQueue contract: SqliteTaskQueue (claimed as the local runtime's dispatcher does)
and CloudTasksQueue (on the Cloud Tasks stand-in, which POSTs each task to a tiny HTTP
server standing for the target function) deliver the same tasks.

The last tests are unit tests of the Cloud Tasks request the adapter builds: the stand-in
ignores OIDC tokens and dispatch deadlines, so those are checked on the request itself."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from shared.settings import Settings

from .conftest import INVOKER, LISTENER, MANIFEST, QUEUE, TARGET, TasksHarness

if TYPE_CHECKING:
    from shared.adapters.gcp.cloud_tasks import CloudTasksQueue

PAYLOAD = {"order": 42, "items": ["a", "b"], "note": "héllo"}


def test_task_is_posted_to_its_function(tasks: TasksHarness) -> None:
    task_id = tasks.queue.enqueue(QUEUE, TARGET, PAYLOAD, task_id="order-42", path="/tasks/ping")
    assert task_id == "order-42"
    (task,) = tasks.delivered(1, 5.0)
    assert (task.name, task.path, dict(task.body)) == ("order-42", "/tasks/ping", PAYLOAD)
    if tasks.http:  # what the target function sees on the wire
        assert task.headers["content-type"] == "application/json"
        assert task.headers["x-cloudtasks-taskname"] == "order-42"
        # Cloud Tasks sends the queue id; the stand-in sends the full queue name.
        assert task.headers["x-cloudtasks-queuename"].rsplit("/", 1)[-1] == QUEUE
        assert task.headers["x-cloudtasks-taskretrycount"] == "0"
        assert task.headers["x-cloudtasks-taskexecutioncount"] == "0"
        assert "x-cloudtasks-tasketa" in task.headers


def test_same_task_id_twice_is_one_task(tasks: TasksHarness) -> None:
    first = tasks.queue.enqueue(QUEUE, TARGET, {"n": 1}, task_id="dedupe-me")
    second = tasks.queue.enqueue(QUEUE, TARGET, {"n": 2}, task_id="dedupe-me")
    assert first == second == "dedupe-me"
    assert [t.body for t in tasks.delivered(1, 5.0)] == [{"n": 1}]
    time.sleep(0.5)  # the stand-in dispatches every 0.1 s: a duplicate would be here by now
    assert [t.body for t in tasks.delivered(2, 0.0)] == [{"n": 1}]


def test_unnamed_tasks_get_distinct_ids(tasks: TasksHarness) -> None:
    one = tasks.queue.enqueue(QUEUE, TARGET, {"n": 1})
    two = tasks.queue.enqueue(QUEUE, TARGET, {"n": 2})
    assert one and two and one != two
    delivered = tasks.delivered(2, 5.0)
    assert sorted(t.body["n"] for t in delivered) == [1, 2]
    if tasks.http:
        assert sorted(t.name for t in delivered) == sorted([one, two])


def test_scheduled_task_waits_for_its_time(tasks: TasksHarness) -> None:
    at = datetime.now(UTC) + timedelta(seconds=1.5)
    tasks.queue.enqueue(QUEUE, TARGET, {"later": True}, task_id="later", schedule_time=at)
    assert tasks.delivered(1, 0.7) == []
    (task,) = tasks.delivered(1, 5.0)
    assert task.body == {"later": True}
    assert datetime.now(UTC) >= at


def test_unknown_queue_and_non_http_function_are_refused(tasks: TasksHarness) -> None:
    with pytest.raises(LookupError):
        tasks.queue.enqueue("no-such-queue", TARGET, {})
    with pytest.raises(LookupError):
        tasks.queue.enqueue(QUEUE, "no-such-function", {})
    with pytest.raises(ValueError, match="not an HTTP function"):
        tasks.queue.enqueue(QUEUE, LISTENER, {})


def test_ping(tasks: TasksHarness) -> None:
    tasks.queue.ping()


# --- the Cloud Tasks request itself (no network) ------------------------------------------
def gcp_queue(**overrides: object) -> CloudTasksQueue:
    from shared.adapters.gcp.cloud_tasks import CloudTasksQueue

    values: dict[str, object] = {
        "AIA_GCP_PROJECT": "aia-prod",
        "tasks_location": "europe-west1",
        "function_urls": {TARGET: "https://contract-target-abc123-ew.a.run.app/"},
        "tasks_invoker_service_account": INVOKER,
    }
    return CloudTasksQueue(Settings(**{**values, **overrides}), MANIFEST)  # type: ignore[arg-type]


def test_cloud_task_carries_an_oidc_token_for_the_invoker() -> None:
    from google.cloud import tasks_v2

    at = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    task = gcp_queue().build_task(
        QUEUE, TARGET, PAYLOAD, task_id="order-42", schedule_time=at, path="/tasks/ping"
    )
    assert (
        task.name == "projects/aia-prod/locations/europe-west1/queues/contract-queue/tasks/order-42"
    )
    request = task.http_request
    assert request.url == "https://contract-target-abc123-ew.a.run.app/tasks/ping"
    assert request.http_method == tasks_v2.HttpMethod.POST
    assert request.headers == {"Content-Type": "application/json"}
    assert request.body == b'{"order":42,"items":["a","b"],"note":"h\\u00e9llo"}'
    assert request.oidc_token.service_account_email == INVOKER
    assert request.oidc_token.audience == "https://contract-target-abc123-ew.a.run.app"
    assert task.schedule_time == at
    assert task.dispatch_deadline == timedelta(seconds=60)  # the target's timeout_seconds


def test_cloud_task_without_invoker_has_no_token_and_hashes_odd_ids() -> None:
    task = gcp_queue(tasks_invoker_service_account=None).build_task(
        QUEUE, TARGET, {}, task_id="user:7/welcome"
    )
    assert "oidc_token" not in task.http_request
    digest = hashlib.sha256(b"user:7/welcome").hexdigest()
    assert task.name.endswith(f"/tasks/{digest}")


def test_cloud_task_needs_the_function_url() -> None:
    with pytest.raises(LookupError, match="AIA_FUNCTION_URLS"):
        gcp_queue(function_urls={}).build_task(QUEUE, TARGET, {})
