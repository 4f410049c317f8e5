"""The embedded Workflows runner executes the YAML with workflows-emulator, calling the
runtime's HTTP functions in-process: retries, scaled sleeps, idempotent starts, and
execution records that outlive the process."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from shared.adapters.local.documents import SqliteDocumentStore
from shared.adapters.local.workflows import LocalWorkflowRunner, _runnable
from shared.bootstrap import install_features
from shared.ports.workflows import ExecutionNotFound, ExecutionState
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.wiring.manifest import load_manifest
from tests.conftest import FIXTURE, ROOT
from tests.workflows.conftest import DAY, FAST

JOURNEY = "probe-journey"


def runner_of(runtime: LocalRuntime) -> LocalWorkflowRunner:
    assert runtime.workflows is not None
    return runtime.workflows


def calls(runtime: LocalRuntime, path: str, key: str) -> dict[str, object]:
    return runtime.platform.documents.get(f"probe_step_{path}", key) or {"count": 0}


def step_times(runner: LocalWorkflowRunner, execution_id: str, step: str) -> list[datetime]:
    return [
        datetime.fromisoformat(s["at"])
        for s in runner.steps(execution_id)
        if s["step"] == step and s["kind"] == "call"
    ]


def test_a_failing_step_is_retried_and_the_journey_completes(
    probe_runtime: LocalRuntime,
) -> None:
    runner = runner_of(probe_runtime)
    argument = {"key": "alice", "fail_times": 2, "sleep_seconds": DAY}
    execution_id = probe_runtime.platform.workflows.start(JOURNEY, argument)
    status = runner.wait(execution_id)

    assert status.state is ExecutionState.SUCCEEDED, status.error
    assert status.result == {"flaky_attempt": 3, "after_attempt": 1, "execution": execution_id}
    flaky = calls(probe_runtime, "flaky", "alice")
    assert flaky["count"] == 3  # two 503s, then success: the retry really happened
    assert flaky["authorization"] == [None, None, None]  # OIDC is stripped locally
    assert len(step_times(runner, execution_id, "call_flaky")) == 3
    # a day of sys.sleep took a tenth of a second: scaled, not skipped
    [slept_at] = step_times(runner, execution_id, "wait_a_day")
    [woke_at] = step_times(runner, execution_id, "call_after")
    assert DAY / FAST * 0.9 <= (woke_at - slept_at).total_seconds() < 5


def test_exhausted_retries_fail_the_execution_with_the_http_error(
    probe_runtime: LocalRuntime,
) -> None:
    argument = {"key": "bob", "fail_times": 100, "sleep_seconds": 0}
    execution_id = probe_runtime.platform.workflows.start(JOURNEY, argument)
    status = runner_of(probe_runtime).wait(execution_id)

    assert status.state is ExecutionState.FAILED
    assert status.error is not None
    error = json.loads(status.error)
    assert error["code"] == 503
    assert "HttpError" in error["tags"]  # the tag Cloud Workflows gives it
    assert error["body"] == {"error": "not yet", "attempt": 4}
    assert calls(probe_runtime, "flaky", "bob")["count"] == 4  # max_retries 3 + the first
    assert calls(probe_runtime, "after", "bob")["count"] == 0


def test_starting_twice_with_one_execution_id_runs_once(probe_runtime: LocalRuntime) -> None:
    workflows = probe_runtime.platform.workflows
    argument = {"key": "carol", "fail_times": 0, "sleep_seconds": 0}
    started: list[str] = []
    barrier = threading.Barrier(4)

    def start() -> None:
        barrier.wait()
        started.append(workflows.start(JOURNEY, argument, execution_id="welcome:carol"))

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    status = runner_of(probe_runtime).wait("welcome:carol")

    assert started == ["welcome:carol"] * 4
    assert status.state is ExecutionState.SUCCEEDED
    assert calls(probe_runtime, "flaky", "carol")["count"] == 1
    assert calls(probe_runtime, "after", "carol")["count"] == 1
    assert {s["run"] for s in runner_of(probe_runtime).steps("welcome:carol")} == {1}


def test_an_interrupted_execution_stays_active_and_resumes_after_a_restart(
    tmp_path: Path,
) -> None:
    manifest = load_manifest(FIXTURE / "manifest.yaml")
    data = tmp_path / "data"
    slow = LocalRuntime(
        Settings(data_dir=data, scheduler_enabled=False, time_scale=1.0),
        [FIXTURE, ROOT],
        manifest=manifest,
    )
    argument = {"key": "dave", "fail_times": 0, "sleep_seconds": DAY}
    execution_id = slow.platform.workflows.start(JOURNEY, argument, execution_id="journey-dave")
    deadline = time.monotonic() + 10
    while not step_times(runner_of(slow), execution_id, "wait_a_day"):
        assert time.monotonic() < deadline, "the execution never reached its sleep"
        time.sleep(0.01)
    began = time.monotonic()
    slow.stop()  # a real day of sleep is cut short
    assert time.monotonic() - began < 2
    assert slow.platform.workflows.status(execution_id).state is ExecutionState.ACTIVE
    install_features(None)

    fast = LocalRuntime(
        Settings(data_dir=data, scheduler_enabled=False, time_scale=FAST),
        [FIXTURE, ROOT],
        manifest=manifest,
    )
    try:
        assert runner_of(fast).recover() == 1
        status = runner_of(fast).wait(execution_id)
        assert status.state is ExecutionState.SUCCEEDED
        # resumed from its first step: the steps are idempotent by design
        assert calls(fast, "flaky", "dave")["count"] == 2
        assert calls(fast, "after", "dave")["count"] == 1
        assert {s["run"] for s in runner_of(fast).steps(execution_id)} == {1, 2}
    finally:
        fast.stop()
        install_features(None)

    # the record outlives the process: a new store on the same file reads it
    reopened = LocalWorkflowRunner(
        Settings(data_dir=data), manifest, SqliteDocumentStore(data / "documents.sqlite3")
    )
    again = reopened.status(execution_id)
    assert (again.state, again.result) == (status.state, status.result)


def test_bad_starts_are_rejected_and_unknown_ids_are_not_found(
    probe_runtime: LocalRuntime,
) -> None:
    workflows = probe_runtime.platform.workflows
    with pytest.raises(LookupError, match="no workflow named nope"):
        workflows.start("nope", {})
    with pytest.raises(ValueError, match="urls"):
        workflows.start(JOURNEY, {"urls": {}})
    with pytest.raises(ExecutionNotFound):
        workflows.status("never-started")
    assert probe_runtime.platform.readiness()["workflows"] == "ok"


def test_urls_point_at_the_served_functions_unless_configured(tmp_path: Path) -> None:
    manifest = load_manifest(FIXTURE / "manifest.yaml")
    store = SqliteDocumentStore(tmp_path / "documents.sqlite3")
    served = LocalWorkflowRunner(Settings(data_dir=tmp_path, port=9123), manifest, store)
    assert served.function_urls() == {"probe-step": "http://127.0.0.1:9123/probe-step"}
    elsewhere = Settings(data_dir=tmp_path, function_urls={"probe-step": "https://x.run.app/"})
    configured = LocalWorkflowRunner(elsewhere, manifest, store)
    assert configured.function_urls() == {"probe-step": "https://x.run.app"}


def test_http_calls_lose_auth_and_backoff_reads_initial_delay() -> None:
    config = {
        "main": {
            "steps": [
                {
                    "s": {
                        "try": {
                            "steps": [
                                {"a": {"call": "http.post", "args": {"url": "u", "auth": {}}}},
                                {"b": {"call": "sub", "args": {"auth": "kept"}}},
                            ]
                        },
                        "retry": {"max_retries": 1, "backoff": {"initial_delay": 7}},
                    }
                }
            ]
        }
    }
    step = _runnable(config)["main"]["steps"][0]["s"]
    first, second = step["try"]["steps"]
    assert first["a"]["args"] == {"url": "u"}
    assert second["b"]["args"] == {"auth": "kept"}  # not an http.* call
    assert step["retry"]["backoff"] == {"initial_delay": 7, "delay": 7}
    assert "auth" in config["main"]["steps"][0]["s"]["try"]["steps"][0]["a"]["args"]
