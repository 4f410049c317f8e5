"""Glue to workflows-emulator (EMULATOR_VERSION), the library that executes Cloud Workflows
YAML here.

The emulator has no injection points, so `engine()` replaces a few of its module functions
once per process. Each replacement asks the execution running on the current thread (a
ContextVar, which the emulator copies into `parallel` branches) and behaves exactly like
the original when there is none:

- `execute_step`: records the step in the execution's log and stops at a step boundary
  when the runner shuts down;
- `sys.sleep`, `sys.sleep_until` and the retry backoff: wait in scaled time
  (`AIA_TIME_SCALE`), interruptibly;
- `sys.get_env`: the execution's own `GOOGLE_CLOUD_*` variables (the emulator sets them
  process-wide, which concurrent executions would overwrite);
- `http.*`: a URL of a function hosted in this process is called in-process.

Gaps of the emulator that stay (docs/decisions/0006-workflows-local-execution.md): no
OIDC (the runner strips `auth`), `googleapis.*` connectors reach real Google, a `}`
inside `${...}` breaks parsing, and a retry gives up once its backoff would reach
`max_delay` instead of waiting `max_delay` between further attempts.

tests/workflows/test_emulator_hooks.py records the source of every function replaced here
(and of the emulator code that calls them): a new emulator version fails it until this
module has been re-read against the new source."""

from __future__ import annotations

import contextvars
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

EMULATOR_VERSION = "1.10.0"  # the Makefile's and scripts/install-emulators.sh's pin
INSTALL_HINT = (
    "workflows-emulator is not installed in this venv: run `make install` (or "
    f"`.venv/bin/pip install -e '.[dev,local]'` and `.venv/bin/pip install --no-deps "
    f"workflows-emulator=={EMULATOR_VERSION}`: its own pins would downgrade starlette)"
)


class Interrupted(BaseException):
    """The runner is stopping. A BaseException so that it unwinds past the emulator's
    `except` clauses (they catch Exception subclasses) and leaves the execution ACTIVE."""


class ExecutionHooks(Protocol):
    @property
    def env(self) -> Mapping[str, str]: ...

    def step(self, step_id: str, kind: str) -> None: ...

    def wait(self, workflow_seconds: float) -> None: ...

    def call(
        self,
        method: str,
        url: str,
        body: Any,
        headers: Mapping[str, str],
        query: Mapping[str, Any],
    ) -> dict[str, Any] | None:
        """The response (`code`, `headers`, `body`) of an in-process call, or None when
        `url` is not a function of this process (the emulator then calls it over HTTP)."""
        ...


CURRENT: contextvars.ContextVar[ExecutionHooks | None] = contextvars.ContextVar(
    "aia_workflow_execution", default=None
)
_WRAPPERS = ("retry", "try")  # steps that only wrap another: their inner step is logged


@dataclass(frozen=True)
class Engine:
    execute: Callable[[Any, dict[str, Any]], Any]
    validate: Callable[[Any], None]
    workflow_error: type[Exception]


_lock = threading.Lock()
_engine: Engine | None = None


def engine() -> Engine:
    """The emulator, hooked; RuntimeError with the install command when it is missing."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = _install()
        return _engine


def _install() -> Engine:
    try:
        import jsonschema
        from workflows_emulator import main
        from workflows_emulator.lib import http_utils, sys_utils
        from workflows_emulator.utils import WorkflowError
    except ImportError as exc:
        raise RuntimeError(INSTALL_HINT) from exc

    original_step = main.execute_step
    original_request = http_utils.request

    def execute_step(step_id: Any, config: dict[str, Any], context: dict[str, Any]) -> Any:
        hooks = CURRENT.get()
        if hooks is not None:
            kind = next(iter(config), "")
            if kind not in _WRAPPERS:
                hooks.step(str(step_id), kind)
        return original_step(step_id, config, context)

    def sleep(seconds: float) -> None:
        hooks = CURRENT.get()
        if hooks is None:
            time.sleep(seconds)
        else:
            hooks.wait(float(seconds))

    def sleep_until(future: str) -> None:
        target = datetime.fromisoformat(future)
        if target.tzinfo is None:
            target = target.replace(tzinfo=UTC)
        sleep(max(0.0, (target - datetime.now(UTC)).total_seconds()))

    def get_env(name: str, default: str | None = None) -> str | None:
        hooks = CURRENT.get()
        if hooks is not None and name in hooks.env:
            return hooks.env[name]
        return os.getenv(name, default)

    def request(
        method: str,
        url: str,
        timeout: float = 300,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        auth: Mapping[str, Any] | None = None,
        **rest: Any,
    ) -> Any:
        hooks = CURRENT.get()
        if hooks is not None:
            response = hooks.call(method, url, body, dict(headers or {}), dict(query or {}))
            if response is not None:
                return response
        return original_request(
            method,
            url,
            timeout=timeout,
            body=body,
            headers=dict(headers or {}),
            query=dict(query or {}),
            auth=auth,
            **rest,
        )

    main.execute_step = execute_step
    main.sleep = sleep  # the retry backoff
    sys_utils.sleep = sleep
    sys_utils.sleep_until = sleep_until
    sys_utils.get_env = get_env
    http_utils.request = request
    logging.getLogger().addFilter(_redact_emulator_context)
    logging.getLogger("workflows").addFilter(_redact_emulator_context)

    schema = main.WORKFLOW_SCHEMA

    def validate(config: Any) -> None:
        jsonschema.validate(config, schema)

    return Engine(execute=main.execute_workflow, validate=validate, workflow_error=WorkflowError)


def _redact_emulator_context(record: logging.LogRecord) -> bool:
    """The emulator logs a workflow's whole argument and variables (tokens, addresses)
    with its start and every expression error; keep the message, drop the data."""
    message = record.msg if isinstance(record.msg, str) else ""
    for prefix in ("Running 'main' workflow", "Subworkflow started", "Subworkflow complete"):
        if message.startswith(prefix):
            record.msg, record.args = prefix, None
            return True
    if message.startswith(("Error evaluating code", "Error executing code")):
        head, _, rest = message.partition("\nContext:")
        error = rest.rsplit("\nError: ", 1)[-1] if "\nError: " in rest else ""
        record.msg, record.args = f"{head}\nError: {error}", None
        # the workflow may catch or retry it; an uncaught one fails the execution
        record.levelno, record.levelname = logging.WARNING, "WARNING"
    return True
