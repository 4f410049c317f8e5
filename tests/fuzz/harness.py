"""Runs schemathesis' engine (what `st run` runs: coverage, fuzzing and stateful phases)
over the in-process WSGI app, as one caller, and collects what it found.

The engine is driven through `schemathesis.engine`, the runner behind the CLI; the
version is pinned to one minor release in pyproject.toml because this module reads its
events. Everything schemathesis-specific stays in this file."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from flask import Flask, Response, request_finished
from schemathesis.engine import events, from_schema

from tests.fuzz.known_bugs import KNOWN_BUGS, KnownBug

# The gate's checks: no 5xx; every response as documented (status, media type, body
# schema, documented headers); an undocumented method is 405 with a true Allow header.
# Left out: positive_data_acceptance and negative_data_rejection (the API validates more
# than a schema can say, and pydantic's lax mode coerces, e.g. `false` to 0.0), and the
# checks that re-send requests (ignored_auth, use_after_free): their replay does not run
# on the in-process WSGI transport of this schemathesis release.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "unsupported_method",
    "allow_header_conformance",
)
SEED = 20260413  # fixed: the same cases on every machine and every run


@dataclass(frozen=True)
class Finding:
    operation: str
    check: str
    title: str
    status: int | None
    reproduce: str
    server_error: str = ""  # the exception behind a 5xx, from the app's own log
    known: KnownBug | None = None

    @property
    def kind(self) -> tuple[str, str, str, int | None, str]:
        return (self.operation, self.check, self.title, self.status, self.server_error)

    def describe(self, times: int = 1) -> str:
        seen = f" x{times}" if times > 1 else ""
        lines = [f"{self.operation} [{self.check}] {self.title} (HTTP {self.status}){seen}"]
        if self.server_error:
            lines.append(f"    raised: {self.server_error}")
        lines.extend("    " + line for line in self.reproduce.splitlines())
        return "\n".join(lines)


@dataclass
class FuzzReport:
    role: str
    requests: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # the machine may be shared: wall time alone misleads
    per_phase: dict[str, tuple[int, float]] = field(default_factory=dict)  # requests, s
    operations: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.known is None]

    @property
    def tolerated(self) -> list[Finding]:
        return [f for f in self.findings if f.known is not None]

    def describe_failures(self) -> str:
        """One example of each kind of failure, with how often it was seen."""
        kinds: dict[tuple[str, str, str, int | None, str], list[Finding]] = {}
        for finding in self.failures:
            kinds.setdefault(finding.kind, []).append(finding)
        return "\n".join(same[0].describe(len(same)) for same in kinds.values())

    def summary(self) -> str:
        known = sorted({f"{f.operation}: {f.known.summary}" for f in self.tolerated if f.known})
        return (
            f"fuzz[{self.role}]: {self.requests} requests over {len(self.operations)} "
            f"operations in {self.seconds:.0f} s ({self.cpu_seconds:.0f} s CPU; "
            + ", ".join(f"{p} {n} in {t:.0f} s" for p, (n, t) in self.per_phase.items())
            + f"); {len(self.failures)} failures, "
            f"{len(self.tolerated)} tolerated as known bugs"
            + "".join(f"\n  known: {k}" for k in known)
        )


def run_fuzz(
    app: Flask,
    document: dict[str, Any],
    *,
    role: str,
    headers: dict[str, str],
    operation_ids: set[str],
    max_examples: int,
) -> FuzzReport:
    """Fuzz the operations named by `operation_ids` with `headers` on every request."""
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": headers,
            # the caller is the one the test names: no account of schemathesis' own making
            "auth": {"auto-signup": False},
            "continue-on-failure": True,
            # no state carried between runs: each run is the same, here and in CI
            "cache": {"enabled": False},
            "suppress-health-check": ["all"],
            "generation": {
                "deterministic": True,
                "database": "none",
                "no-shrink": True,  # bounded time; every case is reported as sent
                "max-examples": max_examples,
                # our own credentials are sent; generated ones would only be rejected
                "with-security-parameters": not headers,
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        }
    )
    schema = schemathesis.openapi.from_dict(document, config=config).include(
        operation_id=sorted(operation_ids)
    )
    schema.app = app
    report = FuzzReport(role)
    started, cpu = time.perf_counter(), time.process_time()
    before, mark = 0, started
    with _counting(app) as counter, _server_errors(schema) as raised:
        for event in from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                # stateful scenarios span operations: they carry no label
                if event.label:
                    report.operations.add(event.label)
                report.findings.extend(_findings(event, raised))
            elif isinstance(event, events.PhaseFinished) and counter() > before:
                now = time.perf_counter()
                report.per_phase[event.phase.name.value] = (counter() - before, now - mark)
                before, mark = counter(), now
            elif isinstance(event, events.NonFatalError | events.FatalError):
                report.errors.append(str(getattr(event, "info", event)))
        report.requests = counter()
    report.seconds = time.perf_counter() - started
    report.cpu_seconds = time.process_time() - cpu
    return report


def _findings(event: events.ScenarioFinished, raised: dict[int, str]) -> Iterator[Finding]:
    recorder = event.recorder
    for case_id, checks in recorder.checks.items():
        node = recorder.cases.get(case_id)
        response = recorder.find_response(case_id=case_id)
        for check in checks:
            info = check.failure_info
            if info is None or node is None:
                continue
            case = node.value
            status = response.status_code if response is not None else None
            server_error = raised.get(id(response), "") if response else ""
            known = next(
                (
                    bug
                    for bug in KNOWN_BUGS
                    if status and status >= 500 and bug.matches(case, server_error)
                ),
                None,
            )
            yield Finding(
                operation=case.operation.label,
                check=check.name,
                title=info.failure.title,
                status=status,
                reproduce=info.code_sample,
                server_error=server_error,
                known=known,
            )


@contextmanager
def _counting(app: Flask) -> Iterator[Callable[[], int]]:
    """Counts the requests the app answered while the engine ran."""
    seen = [0]

    def count(_: Flask, response: Response, **__: Any) -> None:
        seen[0] += 1

    request_finished.connect(count, app)
    try:
        yield lambda: seen[0]
    finally:
        request_finished.disconnect(count, app)


class _LastError(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.text = ""

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            self.text = f"{type(exc).__name__}: {exc} at {frame.filename}:{frame.lineno}"


@contextmanager
def _server_errors(schema: Any) -> Iterator[dict[int, str]]:
    """Maps each response (by id) to the exception the app logged while answering it:
    the engine calls the app one request at a time, so the last error logged before a
    call returns is that call's."""
    logger = logging.getLogger("aia.http")
    last = _LastError()
    raised: dict[int, str] = {}

    @schema.hook
    def after_call(_: Any, __: Any, response: schemathesis.Response) -> None:
        raised[id(response)] = last.text  # every call overwrites: a reused id is fresh
        last.text = ""

    logger.addHandler(last)
    try:
        yield raised
    finally:
        logger.removeHandler(last)
