"""Cloud Workflows executions through the Workflows Executions API (official client).

Workflows lets no caller choose an execution's name, so a start is made idempotent here:
the caller's execution id is claimed in the document store (`workflow_starts`, one
document per id, claimed in a transaction) before the execution is created, and the
created execution's name is recorded on the claim. The execution also carries the label
`aia_execution_key` (a hash of the id), so a starter that finds a claim left by a starter
that died between claiming and recording (older than `CLAIM_LEASE_SECONDS`) first looks
the execution up by label and creates it only if it is not there. `status` reads the
claim, then the execution. A fresh claim without a name reads as ACTIVE (starting)."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

from google.api_core import exceptions as gexc
from google.cloud.workflows import executions_v1

from shared.ports.documents import DocumentStore, DocumentTransaction
from shared.ports.workflows import (
    ExecutionNotFound,
    ExecutionState,
    ExecutionStatus,
    StartedExecution,
    execution_key,
    workflow_urls,
)
from shared.settings import Settings
from shared.wiring.manifest import Manifest

STARTS = "workflow_starts"
LABEL = "aia_execution_key"
CLAIM_LEASE_SECONDS = 120.0

_STATES = {
    executions_v1.Execution.State.ACTIVE: ExecutionState.ACTIVE,
    executions_v1.Execution.State.QUEUED: ExecutionState.ACTIVE,
    executions_v1.Execution.State.STATE_UNSPECIFIED: ExecutionState.ACTIVE,
    executions_v1.Execution.State.SUCCEEDED: ExecutionState.SUCCEEDED,
    executions_v1.Execution.State.FAILED: ExecutionState.FAILED,
    executions_v1.Execution.State.UNAVAILABLE: ExecutionState.FAILED,
    executions_v1.Execution.State.CANCELLED: ExecutionState.CANCELLED,
}
Claim = Literal["claimed", "started", "pending", "stale"]


def _open_start(execution_id: str) -> dict[str, Any]:
    """What every write of a start keeps: its id (the document id may be a hash) and that
    it is not known to be finished (the list of executions in flight queries this)."""
    return {"execution_id": execution_id, "done": False}


def label_value(execution_id: str) -> str:
    """A label value (lowercase, <= 63 characters) standing for the execution id."""
    return hashlib.sha256(execution_id.encode()).hexdigest()[:40]


class CloudWorkflowsRunner:
    def __init__(
        self,
        settings: Settings,
        manifest: Manifest,
        documents: DocumentStore,
        *,
        client: executions_v1.ExecutionsClient | None = None,
    ) -> None:
        self._settings = settings
        self._manifest = manifest
        self._documents = documents
        self._client = client
        self._lock = threading.Lock()

    def _executions(self) -> executions_v1.ExecutionsClient:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = executions_v1.ExecutionsClient()
        return self._client

    def workflow_path(self, workflow: str) -> str:
        if all(w.name != workflow for w in self._manifest.workflows):
            raise LookupError(f"no workflow named {workflow} in the manifest")
        s = self._settings
        return f"projects/{s.gcp_project}/locations/{s.region}/workflows/{workflow}"

    def build_request(
        self, workflow: str, argument: Mapping[str, Any], execution_id: str
    ) -> executions_v1.CreateExecutionRequest:
        """The request `start` sends (no network): pure, so it is unit-tested."""
        if "urls" in argument:
            raise ValueError("`urls` is filled in by the runner; do not pass it")
        body = {**argument, "urls": workflow_urls(self._settings.function_urls)}
        return executions_v1.CreateExecutionRequest(
            parent=self.workflow_path(workflow),
            execution=executions_v1.Execution(
                argument=json.dumps(body, separators=(",", ":")),
                labels={LABEL: label_value(execution_id)},
            ),
        )

    def start(
        self,
        workflow: str,
        argument: Mapping[str, Any],
        *,
        execution_id: str | None = None,
    ) -> str:
        execution_id = execution_id or uuid.uuid4().hex
        request = self.build_request(workflow, argument, execution_id)
        key = execution_key(execution_id)
        claim = self._documents.run_transaction(
            lambda tx: self._claim(tx, key, workflow, execution_id)
        )
        if claim in ("started", "pending"):
            return execution_id
        if claim == "stale":
            found = self._find(request.parent, execution_id)
            if found is not None:
                self._record(key, workflow, found, execution_id)
                return execution_id
        try:
            created = self._executions().create_execution(request=request, timeout=30)
        except Exception:
            # The execution may exist even so (a lost reply): expire the claim, so the
            # starter's retry looks it up by label before creating it again.
            self._documents.set(
                STARTS,
                key,
                {
                    "workflow": workflow,
                    "claimed_at": 0.0,
                    "name": None,
                    **_open_start(execution_id),
                },
            )
            raise
        self._record(key, workflow, str(created.name), execution_id)
        return execution_id

    def _claim(self, tx: DocumentTransaction, key: str, workflow: str, execution_id: str) -> Claim:
        marker = tx.get(STARTS, key)
        now = time.time()
        if marker is not None:
            if marker["workflow"] != workflow:
                raise ValueError(f"execution id was used for workflow {marker['workflow']}")
            if marker.get("name"):
                return "started"
            if now - float(marker["claimed_at"]) < CLAIM_LEASE_SECONDS:
                return "pending"
        tx.set(
            STARTS,
            key,
            {"workflow": workflow, "claimed_at": now, "name": None, **_open_start(execution_id)},
        )
        return "claimed" if marker is None else "stale"

    def _record(self, key: str, workflow: str, name: str, execution_id: str) -> None:
        self._documents.set(
            STARTS,
            key,
            {
                "workflow": workflow,
                "claimed_at": time.time(),
                "name": name,
                **_open_start(execution_id),
            },
        )

    def _find(self, parent: str, execution_id: str) -> str | None:
        pages = self._executions().list_executions(
            request=executions_v1.ListExecutionsRequest(
                parent=parent,
                filter=f'labels.{LABEL}="{label_value(execution_id)}"',
                page_size=1,
            ),
            timeout=30,
        )
        for execution in pages:
            return str(execution.name)
        return None

    def status(self, execution_id: str) -> ExecutionStatus:
        marker = self._documents.get(STARTS, execution_key(execution_id))
        if marker is None:
            raise ExecutionNotFound(execution_id)
        if not marker.get("name"):
            return ExecutionStatus(execution_id, marker["workflow"], ExecutionState.ACTIVE)
        execution = self._executions().get_execution(name=marker["name"], timeout=30)
        status = status_of(execution_id, marker["workflow"], execution)
        if status.done and not marker.get("done"):
            # seen finished once: the list of unfinished starts never asks about it again
            self._documents.set(STARTS, execution_key(execution_id), {**marker, "done": True})
        return status

    def unfinished(self, limit: int) -> list[StartedExecution]:
        """Starts not yet seen finished, each asked about once more (and marked done
        when it has finished): one API call per start in flight, not per start ever.
        Starts recorded before `done` was kept are not listed."""
        starts = self._documents.query(STARTS, [("done", "==", False)])
        found: list[StartedExecution] = []
        for _, marker in sorted(starts, key=lambda row: float(row[1]["claimed_at"])):
            if len(found) == limit:
                break
            execution_id = str(marker.get("execution_id", ""))
            if not execution_id or self.status(execution_id).done:
                continue
            found.append(
                StartedExecution(
                    execution_id=execution_id,
                    workflow=marker["workflow"],
                    started_at=datetime.fromtimestamp(float(marker["claimed_at"]), UTC),
                )
            )
        return found

    def ping(self) -> None:
        """The service answers for a workflow of the manifest (a permission error too)."""
        if not self._manifest.workflows:
            return
        try:
            self._executions().list_executions(
                request={
                    "parent": self.workflow_path(self._manifest.workflows[0].name),
                    "page_size": 1,
                },
                timeout=10,
            )
        except gexc.PermissionDenied:
            return

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.transport.close()  # type: ignore[no-untyped-call, unused-ignore]


def status_of(
    execution_id: str, workflow: str, execution: executions_v1.Execution
) -> ExecutionStatus:
    """The port's view of an Execution resource (pure)."""
    state = _STATES.get(execution.state, ExecutionState.ACTIVE)
    result = json.loads(execution.result) if execution.result else None
    error: str | None = None
    if state is ExecutionState.FAILED:
        error = execution.error.payload or json.dumps({"message": str(execution.state.name)})
    return ExecutionStatus(execution_id, workflow, state, result=result, error=error)
