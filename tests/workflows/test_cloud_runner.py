"""The Cloud Workflows adapter. No local stand-in speaks the Executions API (gRPC), so
the request it sends is tested as a pure function, and its start dedupe runs on the real
embedded document store with a recording stand-in for the client (the one fake here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from google.cloud.workflows import executions_v1

from shared.adapters.gcp.workflows import LABEL, CloudWorkflowsRunner, label_value, status_of
from shared.adapters.local.documents import SqliteDocumentStore
from shared.ports.workflows import ExecutionNotFound, ExecutionState
from shared.settings import Settings
from shared.wiring.manifest import load_manifest
from tests.conftest import FIXTURE

PARENT = "projects/aia-prod/locations/europe-west4/workflows/probe-journey"


class RecordingExecutions:
    """Answers the three calls the adapter makes, keeping executions in a dict."""

    def __init__(self, fail_next_create: bool = False) -> None:
        self.created: list[executions_v1.CreateExecutionRequest] = []
        self.executions: dict[str, executions_v1.Execution] = {}
        self.fail_next_create = fail_next_create

    def create_execution(
        self, request: executions_v1.CreateExecutionRequest, timeout: float
    ) -> executions_v1.Execution:
        self.created.append(request)
        name = f"{request.parent}/executions/{len(self.created)}"
        execution = executions_v1.Execution(request.execution, name=name)
        self.executions[name] = execution
        if self.fail_next_create:  # created, but the reply is lost
            self.fail_next_create = False
            raise TimeoutError("deadline exceeded")
        return execution

    def list_executions(
        self, request: executions_v1.ListExecutionsRequest, timeout: float
    ) -> list[executions_v1.Execution]:
        return [
            e for e in self.executions.values() if request.filter.endswith(f'"{e.labels[LABEL]}"')
        ]

    def get_execution(self, name: str, timeout: float) -> executions_v1.Execution:
        return self.executions[name]


def runner(tmp_path: Path, client: Any = None) -> CloudWorkflowsRunner:
    settings = Settings(
        data_dir=tmp_path,
        GOOGLE_CLOUD_PROJECT="aia-prod",
        region="europe-west4",
        function_urls={"probe-step": "https://probe-step-xyz.a.run.app/", "api": "https://api"},
    )
    store = SqliteDocumentStore(tmp_path / "documents.sqlite3")
    return CloudWorkflowsRunner(
        settings, load_manifest(FIXTURE / "manifest.yaml"), store, client=client
    )


def test_the_create_execution_request(tmp_path: Path) -> None:
    request = runner(tmp_path).build_request("probe-journey", {"key": "k"}, "welcome:k")
    assert request.parent == PARENT
    assert json.loads(request.execution.argument) == {
        "key": "k",
        "urls": {"probe_step": "https://probe-step-xyz.a.run.app", "api": "https://api"},
    }
    assert dict(request.execution.labels) == {LABEL: label_value("welcome:k")}
    assert label_value("welcome:k") == label_value("welcome:k") != label_value("welcome:j")
    assert len(label_value("x")) <= 63 and label_value("x").islower()


def test_bad_requests_are_refused_before_any_call(tmp_path: Path) -> None:
    with pytest.raises(LookupError):
        runner(tmp_path).build_request("nope", {}, "x")
    with pytest.raises(ValueError, match="urls"):
        runner(tmp_path).build_request("probe-journey", {"urls": {}}, "x")


def test_a_second_start_with_the_same_id_creates_nothing(tmp_path: Path) -> None:
    client = RecordingExecutions()
    workflows = runner(tmp_path, client)
    first = workflows.start("probe-journey", {"key": "k"}, execution_id="welcome:k")
    second = workflows.start("probe-journey", {"key": "k"}, execution_id="welcome:k")
    assert first == second == "welcome:k"
    assert len(client.created) == 1
    [name] = client.executions
    client.executions[name].state = executions_v1.Execution.State.SUCCEEDED
    client.executions[name].result = '{"sent": 3}'
    status = workflows.status("welcome:k")
    assert (status.state, status.result) == (ExecutionState.SUCCEEDED, {"sent": 3})
    with pytest.raises(ExecutionNotFound):
        workflows.status("never")


def test_a_lost_reply_is_found_by_label_on_the_retry(tmp_path: Path) -> None:
    client = RecordingExecutions(fail_next_create=True)
    workflows = runner(tmp_path, client)
    with pytest.raises(TimeoutError):
        workflows.start("probe-journey", {"key": "k"}, execution_id="welcome:k")
    assert workflows.start("probe-journey", {"key": "k"}, execution_id="welcome:k")
    assert len(client.created) == 1  # the retry found it instead of creating another
    assert workflows.status("welcome:k").state is ExecutionState.ACTIVE


def test_execution_states_map_to_the_port() -> None:
    failed = executions_v1.Execution(
        state=executions_v1.Execution.State.FAILED,
        error=executions_v1.Execution.Error(payload='{"code": 503}'),
    )
    assert status_of("x", "w", failed).error == '{"code": 503}'
    queued = executions_v1.Execution(state=executions_v1.Execution.State.QUEUED)
    assert status_of("x", "w", queued).state is ExecutionState.ACTIVE
    cancelled = executions_v1.Execution(state=executions_v1.Execution.State.CANCELLED)
    assert status_of("x", "w", cancelled).done
