from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

_PLAIN_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,200}$")


class ExecutionState(StrEnum):
    ACTIVE = "ACTIVE"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class ExecutionStatus:
    execution_id: str
    workflow: str
    state: ExecutionState
    result: Any = None  # the workflow's return value (JSON), once SUCCEEDED
    error: str | None = None  # the error payload as JSON text (Workflows' shape), once FAILED

    @property
    def done(self) -> bool:
        return self.state is not ExecutionState.ACTIVE


@dataclass(frozen=True)
class StartedExecution:
    """An execution the platform started, as its own record of the start says."""

    execution_id: str
    workflow: str
    started_at: datetime


class ExecutionNotFound(LookupError):
    """No execution was started under this id."""


class WorkflowRunner(Protocol):
    """Starts Cloud Workflows executions of `workflows/<name>.workflows.yaml` (the
    Workflows Executions API in production, workflows-emulator locally).

    The workflow receives `argument` as its `args` parameter, plus `args.urls`: the base
    URL of every HTTP function, keyed by function name with `-` replaced by `_`."""

    def start(
        self,
        workflow: str,
        argument: Mapping[str, Any],
        *,
        execution_id: str | None = None,
    ) -> str:
        """Start an execution; returns its id. A second start with the same
        `execution_id` returns that id and starts nothing (at-least-once starters).
        Without one, a fresh id is generated. `argument` must not contain `urls`."""
        ...

    def status(self, execution_id: str) -> ExecutionStatus:
        """The execution's state; `ExecutionNotFound` for an id never started."""
        ...

    def unfinished(self, limit: int) -> list[StartedExecution]:
        """Executions this platform started and that have not finished, oldest first, at
        most `limit`: from the platform's own records of its starts (never a listing of
        every execution in the project)."""
        ...

    def ping(self) -> None:
        """Raise if the service cannot be reached (readiness check)."""
        ...


def workflow_urls(urls: Mapping[str, str]) -> dict[str, str]:
    """Function name -> base URL, keyed the way workflows read them (`args.urls.x_y`)."""
    return {name.replace("-", "_"): url.rstrip("/") for name, url in urls.items()}


def execution_key(execution_id: str) -> str:
    """A document id for an execution id: itself when it is plain, else its SHA-256."""
    if _PLAIN_ID.match(execution_id):
        return execution_id
    return hashlib.sha256(execution_id.encode()).hexdigest()
