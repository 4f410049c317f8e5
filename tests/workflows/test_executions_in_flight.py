"""Operators list the workflow executions the platform started that have not finished,
from its own records of its starts: the embedded runner's execution records, and on Cloud
Workflows the start claims, each asked about until it is seen finished."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.cloud.workflows import executions_v1

from shared.bootstrap import install_features
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.wiring.manifest import load_manifest
from tests.conftest import FIXTURE, ROOT
from tests.support.api import ApiClient
from tests.workflows.conftest import DAY
from tests.workflows.test_cloud_runner import RecordingExecutions, runner
from tests.workflows.test_local_runner import JOURNEY, runner_of, step_times

PATH = "/v1/admin/workflows/executions"


@pytest.fixture
def slow_runtime(tmp_path: Path) -> Iterator[LocalRuntime]:
    """Workflow time at the speed of the wall clock: a day's sleep keeps a journey ACTIVE."""
    runtime = LocalRuntime(
        Settings(
            data_dir=tmp_path / "data",
            scheduler_enabled=False,
            time_scale=1.0,
            password_hash_time_cost=1,
            password_hash_memory_kib=8192,
        ),
        [FIXTURE, ROOT],
        manifest=load_manifest(FIXTURE / "manifest.yaml"),
    )
    yield runtime
    runtime.stop()
    install_features(None)


def _asleep(runtime: LocalRuntime, execution_id: str) -> None:
    deadline = time.monotonic() + 10
    while not step_times(runner_of(runtime), execution_id, "wait_a_day"):
        assert time.monotonic() < deadline, "the execution never reached its sleep"
        time.sleep(0.01)


def test_the_executions_in_flight_oldest_first(slow_runtime: LocalRuntime) -> None:
    workflows = slow_runtime.platform.workflows
    quick = {"key": "quick", "fail_times": 0, "sleep_seconds": 0}
    finished = workflows.start(JOURNEY, quick, execution_id="journey-quick")
    assert runner_of(slow_runtime).wait(finished).done
    for key in ("first", "second", "third"):
        argument = {"key": key, "fail_times": 0, "sleep_seconds": DAY}
        workflows.start(JOURNEY, argument, execution_id=f"journey-{key}")
        _asleep(slow_runtime, f"journey-{key}")
        time.sleep(0.002)  # distinct start instants: the order is by start

    api = ApiClient(slow_runtime.features)
    admin, user = api.user("root", admin=True), api.user("mallory")
    assert user.get(PATH).status_code == 403
    assert api.anonymous().get(PATH).status_code == 401
    listed = admin.get(PATH).json
    assert [e["execution_id"] for e in listed["executions"]] == [
        "journey-first",
        "journey-second",
        "journey-third",
    ]
    assert {e["workflow"] for e in listed["executions"]} == {JOURNEY}
    assert {e["state"] for e in listed["executions"]} == {"ACTIVE"}
    assert listed["next_cursor"] is None
    first = admin.get(f"{PATH}?limit=2").json
    assert len(first["executions"]) == 2 and first["next_cursor"]
    rest = admin.get(f"{PATH}?limit=2&cursor={first['next_cursor']}").json
    assert [e["execution_id"] for e in rest["executions"]] == ["journey-third"]
    assert admin.get(f"{PATH}?limit=501").status_code == 400


def test_cloud_workflows_asks_about_each_start_until_it_finishes(tmp_path: Path) -> None:
    class CountingExecutions(RecordingExecutions):
        def __init__(self) -> None:
            super().__init__()
            self.asked: list[str] = []

        def get_execution(self, name: str, timeout: float) -> executions_v1.Execution:
            self.asked.append(name)
            return super().get_execution(name, timeout)

    client = CountingExecutions()
    workflows = runner(tmp_path, client)
    for key in ("a", "b", "c"):
        workflows.start("probe-journey", {"key": key}, execution_id=f"report:{key}")
    names = list(client.executions)
    client.executions[names[1]].state = executions_v1.Execution.State.SUCCEEDED
    for name in (names[0], names[2]):
        client.executions[name].state = executions_v1.Execution.State.ACTIVE

    assert [e.execution_id for e in workflows.unfinished(10)] == ["report:a", "report:c"]
    assert len(client.asked) == 3
    # the finished one was marked: it is not asked about again
    assert [e.execution_id for e in workflows.unfinished(10)] == ["report:a", "report:c"]
    assert len(client.asked) == 5
    assert [e.execution_id for e in workflows.unfinished(1)] == ["report:a"]
    client.executions[names[0]].state = executions_v1.Execution.State.FAILED
    assert [e.execution_id for e in workflows.unfinished(10)] == ["report:c"]
