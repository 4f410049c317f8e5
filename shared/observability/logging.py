"""JSON log lines in Cloud Logging's structured format, with trace and labels carried
in context variables so every line of one request or event shares them."""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import sys
import traceback
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

_trace: contextvars.ContextVar[tuple[str, str | None] | None] = contextvars.ContextVar(
    "aia_trace", default=None
)
_labels: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "aia_labels", default=MappingProxyType({})
)
_project = "aia-local"

_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")
_CLOUD_TRACE = re.compile(r"^([0-9a-fA-F]{32})(?:/(\d+))?")
_SEVERITY = {
    logging.DEBUG: "DEBUG",
    logging.INFO: "INFO",
    logging.WARNING: "WARNING",
    logging.ERROR: "ERROR",
    logging.CRITICAL: "CRITICAL",
}
_RESERVED = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def parse_trace(
    headers: Iterable[tuple[str, str]] | Mapping[str, str],
) -> tuple[str, str | None] | None:
    """(trace id, span id) from W3C `traceparent` or `X-Cloud-Trace-Context`."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    lowered = {k.lower(): v for k, v in items}
    parent = lowered.get("traceparent", "")
    if m := _TRACEPARENT.match(parent.strip().lower()):
        return m.group(1), m.group(2)
    cloud = lowered.get("x-cloud-trace-context", "")
    if m := _CLOUD_TRACE.match(cloud.strip()):
        return m.group(1).lower(), m.group(2)
    return None


@contextlib.contextmanager
def log_context(
    trace: tuple[str, str | None] | None = None, **labels: str | None
) -> Iterator[None]:
    """Attach a trace and labels to every log line written inside the block."""
    merged = {**_labels.get(), **{k: str(v) for k, v in labels.items() if v is not None}}
    label_token = _labels.set(merged)
    trace_token = _trace.set(trace) if trace is not None else None
    try:
        yield
    finally:
        _labels.reset(label_token)
        if trace_token is not None:
            _trace.reset(trace_token)


class CloudLoggingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": _SEVERITY.get(record.levelno, "DEFAULT"),
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
        }
        trace = _trace.get()
        if trace:
            entry["logging.googleapis.com/trace"] = f"projects/{_project}/traces/{trace[0]}"
            if trace[1]:
                entry["logging.googleapis.com/spanId"] = trace[1]
        labels = dict(_labels.get())
        if labels:
            entry["logging.googleapis.com/labels"] = labels
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["stack_trace"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, default=str)


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to sys.stdout as it is when a record is emitted, not as it was when logging
    was configured: a stream swapped in and closed since (a test's captured output, a
    redirect in-process) would otherwise fail every later record."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def configure_logging(level: str = "INFO", project: str = "aia-local") -> None:
    """Route the root logger to stdout as JSON lines (Cloud Run collects stdout)."""
    global _project
    _project = project
    handler = _StdoutHandler()
    handler.setFormatter(CloudLoggingFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("werkzeug", "waitress", "urllib3", "google", "grpc"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
