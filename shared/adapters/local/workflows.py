"""The embedded Workflows runner: executes `workflows/<name>.workflows.yaml` with
workflows-emulator (`workflow_engine`), one background thread per execution.

- Each execution is a document in `workflow_executions` (state, argument, result, error,
  steps log), so its status survives a restart; the local runtime resumes executions
  left ACTIVE by starting them again from the first step (steps are idempotent, as
  Workflows' own retries require).
- `start` with an execution id already used starts nothing (the document's atomic create).
- The workflow's `args.urls` holds each HTTP function's base URL: `AIA_FUNCTION_URLS` when
  set, else where `aia serve` serves it (`http://127.0.0.1:<port><local_path>`). Once the
  runtime attaches its FunctionHost, calls to those local URLs run in-process, so neither
  tests nor the runtime need a listening server.
- `auth:` is removed from every `http.*` call before execution: the emulator cannot mint
  OIDC tokens, so locally the called function receives no Authorization header.
- `sys.sleep` and retry backoff run `AIA_TIME_SCALE` times faster than real time."""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode

import requests
import yaml
from requests.structures import CaseInsensitiveDict

from shared.adapters.local.workflow_engine import CURRENT, Interrupted, engine
from shared.ports.documents import Document, DocumentStore
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

log = logging.getLogger("aia.workflows")

EXECUTIONS = "workflow_executions"
_MAX_STEPS_LOGGED = 500
_REPO_ROOT = Path(__file__).resolve().parents[3]


class FunctionResponse(Protocol):
    @property
    def status(self) -> int: ...

    @property
    def body(self) -> str: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


class FunctionCaller(Protocol):
    """The runtime's FunctionHost: calls an HTTP function of this process in-process."""

    def request(
        self,
        function: str,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
    ) -> FunctionResponse: ...


class HttpError(requests.HTTPError):
    """Named as Cloud Workflows tags the error of an HTTP status >= 400 (`HttpError`):
    the emulator tags an error with its exception's class name."""


class LocalWorkflowRunner:
    def __init__(
        self,
        settings: Settings,
        manifest: Manifest,
        documents: DocumentStore,
        *,
        roots: Sequence[Path] = (),
    ) -> None:
        self._settings = settings
        self._manifest = manifest
        self._documents = documents
        self._roots = [*roots, Path.cwd(), _REPO_ROOT]
        self._functions: FunctionCaller | None = None
        self._stopping = threading.Event()
        self._threads: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    # --- wiring -----------------------------------------------------------------------
    def attach(self, functions: FunctionCaller, roots: Sequence[Path] = ()) -> None:
        """Route calls to this process's HTTP functions in-process; look for
        `workflows/` under `roots` first."""
        self._functions = functions
        self._roots = [*roots, *self._roots]

    def function_urls(self) -> dict[str, str]:
        """Base URL of each HTTP function, by manifest name."""
        urls: dict[str, str] = {}
        for fn in self._manifest.functions:
            if fn.http is not None:
                local = f"http://127.0.0.1:{self._settings.port}{fn.http.local_path}"
                urls[fn.name] = self._settings.function_urls.get(fn.name, local).rstrip("/")
        return urls

    def _local_routes(self) -> list[tuple[str, str]]:
        """(base URL, function) for functions served by this process, longest first."""
        routes = [
            (url, name)
            for name, url in self.function_urls().items()
            if name not in self._settings.function_urls
        ]
        return sorted(routes, key=lambda route: len(route[0]), reverse=True)

    # --- the port ---------------------------------------------------------------------
    def start(
        self,
        workflow: str,
        argument: Mapping[str, Any],
        *,
        execution_id: str | None = None,
    ) -> str:
        if "urls" in argument:
            raise ValueError("`urls` is filled in by the runner; do not pass it")
        self.load(workflow)  # fail now on an unknown workflow or invalid YAML
        execution_id = execution_id or uuid.uuid4().hex
        now = _now()
        record: Document = {
            "execution_id": execution_id,
            "workflow": workflow,
            "state": ExecutionState.ACTIVE.value,
            "argument": json.loads(json.dumps(dict(argument))),
            "result": None,
            "error": None,
            "steps": [],
            "runs": 0,
            "created_at": now,
            "updated_at": now,
        }
        if not self._documents.create(EXECUTIONS, execution_key(execution_id), record):
            existing = self._record(execution_id)
            if existing["workflow"] != workflow:
                raise ValueError(
                    f"execution id {execution_id!r} was used for workflow {existing['workflow']}"
                )
            return execution_id
        self._launch(execution_id)
        return execution_id

    def status(self, execution_id: str) -> ExecutionStatus:
        record = self._record(execution_id)
        return ExecutionStatus(
            execution_id=execution_id,
            workflow=record["workflow"],
            state=ExecutionState(record["state"]),
            result=record["result"],
            error=record["error"],
        )

    def unfinished(self, limit: int) -> list[StartedExecution]:
        # no order in the query (Firestore would want an index for it): the executions
        # in flight are few, sorted here
        active = self._documents.query(EXECUTIONS, [("state", "==", ExecutionState.ACTIVE.value)])
        started = sorted(
            (
                StartedExecution(
                    execution_id=record["execution_id"],
                    workflow=record["workflow"],
                    started_at=datetime.fromisoformat(record["created_at"]),
                )
                for _, record in active
            ),
            key=lambda e: (e.started_at, e.execution_id),
        )
        return started[:limit]

    def ping(self) -> None:
        engine()

    # --- local extras -----------------------------------------------------------------
    def steps(self, execution_id: str) -> list[dict[str, Any]]:
        """The steps the execution ran, in order (a retried step appears per attempt)."""
        return list(self._record(execution_id)["steps"])

    def wait(self, execution_id: str, timeout: float = 30.0) -> ExecutionStatus:
        """The status once the execution's thread in this process has finished."""
        with self._lock:
            thread = self._threads.get(execution_id)
        if thread is not None:
            thread.join(timeout)
        return self.status(execution_id)

    def recover(self) -> int:
        """Start again the executions left ACTIVE (by a stop or a crash); how many."""
        resumed = 0
        for _, record in self._documents.query(
            EXECUTIONS, [("state", "==", ExecutionState.ACTIVE.value)]
        ):
            with self._lock:
                running = record["execution_id"] in self._threads
            if not running and self._launch(record["execution_id"]):
                resumed += 1
        return resumed

    def stop(self, timeout: float = 10.0) -> None:
        """Interrupt running executions at their next step or wait; they stay ACTIVE."""
        self._stopping.set()
        with self._lock:
            threads = list(self._threads.values())
        for thread in threads:
            thread.join(timeout)

    def load(self, workflow: str) -> dict[str, Any]:
        """The workflow's YAML, validated and made runnable by the emulator."""
        entry = next((w for w in self._manifest.workflows if w.name == workflow), None)
        if entry is None:
            raise LookupError(f"no workflow named {workflow} in the manifest")
        path = next((r / entry.source for r in self._roots if (r / entry.source).exists()), None)
        if path is None:
            raise FileNotFoundError(f"workflow {workflow}: {entry.source} not found")
        config = yaml.safe_load(path.read_text())
        engine().validate(config)
        if isinstance(config, list):
            config = {"main": {"steps": config}}
        return _runnable(config)

    # --- execution --------------------------------------------------------------------
    def _launch(self, execution_id: str) -> bool:
        with self._lock:
            if self._stopping.is_set() or execution_id in self._threads:
                return False
            thread = threading.Thread(
                target=self._run, args=(execution_id,), name=f"workflow-{execution_id}"
            )
            thread.daemon = True
            self._threads[execution_id] = thread
        thread.start()
        return True

    def _run(self, execution_id: str) -> None:
        try:
            record = self._record(execution_id)
            record["runs"] = int(record["runs"]) + 1
            execution = _Execution(self, record)
            execution.save()
            token = CURRENT.set(execution)
            try:
                self._execute(execution)
            finally:
                CURRENT.reset(token)
        finally:
            with self._lock:
                self._threads.pop(execution_id, None)

    def _execute(self, execution: _Execution) -> None:
        record = execution.record
        workflow_error = engine().workflow_error
        try:
            config = self.load(record["workflow"])
            execution.env["GOOGLE_CLOUD_WORKFLOW_REVISION_ID"] = _revision(config)
            params = _params(config, {**record["argument"], "urls": self._urls()})
            result = engine().execute(copy.deepcopy(config), params)
        except Interrupted:
            log.info("workflow execution interrupted", extra={"execution": execution.id})
            return
        except workflow_error as exc:
            payload = getattr(exc, "payload", str(exc))
            execution.finish(ExecutionState.FAILED, error=json.dumps(_plain(payload)))
            return
        except Exception as exc:  # noqa: BLE001 - any failure ends the execution FAILED, as in Workflows
            error = {"message": str(exc), "tags": [type(exc).__name__]}
            execution.finish(ExecutionState.FAILED, error=json.dumps(error))
            return
        execution.finish(ExecutionState.SUCCEEDED, result=_plain(result))

    def _urls(self) -> dict[str, str]:
        return workflow_urls(self.function_urls())

    def _record(self, execution_id: str) -> Document:
        record = self._documents.get(EXECUTIONS, execution_key(execution_id))
        if record is None:
            raise ExecutionNotFound(execution_id)
        return record


class _Execution:
    """One running execution: its record and the hooks the engine calls."""

    def __init__(self, runner: LocalWorkflowRunner, record: Document) -> None:
        self.runner = runner
        self.record = record
        self.id: str = record["execution_id"]
        settings = runner._settings
        self.env: dict[str, str] = {
            "GOOGLE_CLOUD_PROJECT_ID": settings.gcp_project,
            "GOOGLE_CLOUD_LOCATION": settings.region,
            "GOOGLE_CLOUD_WORKFLOW_ID": record["workflow"],
            "GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID": self.id,
        }
        self._lock = threading.Lock()  # parallel branches share the record

    def save(self) -> None:
        with self._lock:
            self.record["updated_at"] = _now()
            self.runner._documents.set(EXECUTIONS, execution_key(self.id), self.record)

    def finish(
        self, state: ExecutionState, *, result: Any = None, error: str | None = None
    ) -> None:
        self.record.update(state=state.value, result=result, error=error)
        self.save()

    def step(self, step_id: str, kind: str) -> None:
        if self.runner._stopping.is_set():
            raise Interrupted
        steps = self.record["steps"]
        steps.append({"step": step_id, "kind": kind, "at": _now(), "run": self.record["runs"]})
        del steps[:-_MAX_STEPS_LOGGED]
        self.save()

    def wait(self, workflow_seconds: float) -> None:
        real = workflow_seconds / self.runner._settings.time_scale
        if self.runner._stopping.wait(max(0.0, real)):
            raise Interrupted

    def call(
        self,
        method: str,
        url: str,
        body: Any,
        headers: Mapping[str, str],
        query: Mapping[str, Any],
    ) -> dict[str, Any] | None:
        functions = self.runner._functions
        if functions is None:
            return None
        route = next(
            (
                (base, function)
                for base, function in self.runner._local_routes()
                if url == base or url.startswith((base + "/", base + "?"))
            ),
            None,
        )
        if route is None:
            return None
        base, function = route
        path = url[len(base) :] or "/"
        if query:
            path += ("&" if "?" in path else "?") + urlencode(query, doseq=True)
        sent = dict(headers)
        data = b""
        if isinstance(body, dict | list):
            data = json.dumps(body).encode()
            if not any(k.lower() == "content-type" for k in sent):
                sent["Content-Type"] = "application/json"
        elif body is not None:
            data = str(body).encode()
        response = functions.request(function, method.upper(), path, body=data, headers=sent)
        received = CaseInsensitiveDict(response.headers)
        if response.status >= 400:
            raise _http_error(url, response.status, received, response.body)
        parsed: Any = response.body
        if "application/json" in received.get("Content-Type", "") and response.body:
            parsed = json.loads(response.body)
        return {"code": response.status, "headers": dict(received), "body": parsed}


def _http_error(url: str, status: int, headers: CaseInsensitiveDict[str], body: str) -> HttpError:
    response = requests.Response()
    response.status_code = status
    response.url = url
    response.headers = headers
    response.encoding = "utf-8"
    response._content = body.encode()
    return HttpError(f"HTTP server responded with error code {status}", response=response)


def _runnable(config: dict[str, Any]) -> dict[str, Any]:
    """Strip `auth` from `http.*` calls (the emulator raises on OIDC) and read a retry's
    `backoff.initial_delay` (Workflows' name) as the emulator's `delay`."""

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {key: walk(value) for key, value in node.items()}
        call, args = node.get("call"), node.get("args")
        if isinstance(call, str) and call.startswith("http.") and isinstance(args, dict):
            args.pop("auth", None)
        retry = node.get("retry")
        if isinstance(retry, dict) and isinstance(retry.get("backoff"), dict):
            backoff = retry["backoff"]
            if "initial_delay" in backoff and "delay" not in backoff:
                backoff["delay"] = backoff["initial_delay"]
        return node

    result: dict[str, Any] = walk(config)
    return result


def _params(config: Mapping[str, Any], argument: dict[str, Any]) -> dict[str, Any]:
    """The emulator's params: the workflow's single parameter (`args`) bound to argument."""
    declared = config.get("main", {}).get("params") or []
    if not declared:
        return {}
    first = declared[0]
    name = next(iter(first)) if isinstance(first, dict) else str(first)
    return {name: argument}


def _revision(config: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:6]


def _plain(value: Any) -> Any:
    """JSON-safe copy (the emulator's values are dict subclasses; odd types become text)."""
    return json.loads(json.dumps(value, default=str))


def _now() -> str:
    return datetime.now(UTC).isoformat()
