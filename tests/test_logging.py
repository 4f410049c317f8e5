"""Logs are JSON lines in Cloud Logging's format, carrying the request's trace."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest

from shared.observability.logging import (
    CloudLoggingFormatter,
    configure_logging,
    log_context,
    parse_trace,
)


def render(record_msg: str, **extra: object) -> dict:  # type: ignore[type-arg]
    record = logging.LogRecord("aia.test", logging.WARNING, __file__, 1, record_msg, (), None)
    for key, value in extra.items():
        setattr(record, key, value)
    return json.loads(CloudLoggingFormatter().format(record))


def test_severity_message_and_extra_fields() -> None:
    entry = render("hello world", subscriber="fn")
    assert entry["severity"] == "WARNING"
    assert entry["message"] == "hello world"
    assert entry["subscriber"] == "fn"


def test_trace_from_traceparent_and_labels() -> None:
    trace = parse_trace({"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"})
    assert trace == ("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331")
    with log_context(trace, event_id="e1"):
        entry = render("x")
    assert entry["logging.googleapis.com/trace"].endswith(
        "/traces/0af7651916cd43dd8448eb211c80319c"
    )
    assert entry["logging.googleapis.com/spanId"] == "b7ad6b7169203331"
    assert entry["logging.googleapis.com/labels"] == {"event_id": "e1"}
    assert "logging.googleapis.com/trace" not in render("outside the block")


def test_trace_from_cloud_trace_header() -> None:
    assert parse_trace({"X-Cloud-Trace-Context": "105445aa7843bc8bf206b12000100000/1;o=1"}) == (
        "105445aa7843bc8bf206b12000100000",
        "1",
    )
    assert parse_trace({}) is None


def test_records_go_to_stdout_as_it_is_when_emitted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Configured while stdout was another stream (a test's capture, an in-process `aia`
    command) that has been closed since, logging still writes, to today's stdout."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    then, now = io.StringIO(), io.StringIO()
    failures: list[str] = []
    monkeypatch.setattr(logging, "raiseExceptions", True)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # where logging reports a failed emit
    try:
        monkeypatch.setattr(sys, "stdout", then)
        configure_logging("INFO")
        logging.getLogger("aia.test").info("while configured")
        then.close()
        monkeypatch.setattr(sys, "stdout", now)
        logging.getLogger("aia.test").info("after the stream closed")
        failures.append(sys.stderr.getvalue())
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    assert failures == [""], failures
    assert json.loads(now.getvalue())["message"] == "after the stream closed"
