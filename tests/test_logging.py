"""Logs are JSON lines in Cloud Logging's format, carrying the request's trace."""

from __future__ import annotations

import json
import logging

from shared.observability.logging import CloudLoggingFormatter, log_context, parse_trace


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
