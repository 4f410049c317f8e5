"""The venture-step HTTP function through its functions-framework app: routing by
path, 4xx for what a retry cannot fix, idempotent steps, and the completion event."""

from __future__ import annotations

from datetime import UTC, datetime

from werkzeug.test import Client

from shared.runtime.local import LocalRuntime
from shared.tenancy import OwnedCollection
from shared.venture.report import REPORTS, VentureReportRequest, new_report_document
from tests.venture.conftest import report_body

OWNER = "owner-1"
REPORT = "a" * 32


def step_client(app_runtime: LocalRuntime) -> Client:
    return Client(app_runtime.host.apps["venture-step"])


def stored_report(app_runtime: LocalRuntime) -> OwnedCollection:
    reports = OwnedCollection(app_runtime.platform.documents, REPORTS, OWNER)
    request = VentureReportRequest.model_validate(report_body())
    reports.create(REPORT, new_report_document(request, datetime(2026, 1, 1, tzinfo=UTC)))
    return reports


def test_steps_run_in_order_and_a_repeated_step_returns_what_is_stored(
    app_runtime: LocalRuntime,
) -> None:
    reports = stored_report(app_runtime)
    client = step_client(app_runtime)
    job = {"report_id": REPORT, "owner_id": OWNER}
    first = client.post("/market", json=job)
    assert (first.status_code, first.json["outcome"]) == (200, "computed")
    market = reports.require(REPORT)["market"]
    again = client.post("/market", json=job)
    assert (again.status_code, again.json["outcome"]) == (200, "stored")
    assert reports.require(REPORT)["market"] == market
    assert client.post("/resources", json=job).status_code == 409  # needs the blueprint first
    for step in ("competition", "blueprint", "resources", "assemble"):
        assert client.post(f"/{step}", json=job).json["outcome"] == "computed", step
    doc = reports.require(REPORT)
    assert doc["status"] == "running" and doc["report"]["market"] == market

    published = client.post("/complete", json=job)
    assert published.status_code == 200
    replay = client.post("/complete", json=job)
    # the same event id on a replay: subscribers see one completion
    assert replay.json["event_id"] == published.json["event_id"]
    doc = reports.require(REPORT)
    assert doc["status"] == "completed"
    assert client.post("/fail", json={**job, "error": "late"}).json["outcome"] == "completed"


def test_what_a_retry_cannot_fix_is_a_4xx(app_runtime: LocalRuntime) -> None:
    stored_report(app_runtime)
    client = step_client(app_runtime)
    assert (
        client.post("/market", json={"report_id": "b" * 32, "owner_id": OWNER}).status_code == 404
    )
    # another owner's report reads as missing
    assert client.post("/market", json={"report_id": REPORT, "owner_id": "eve"}).status_code == 404
    assert client.post("/market", json={"report_id": "not-hex"}).status_code == 400
    assert (
        client.post("/teleport", json={"report_id": REPORT, "owner_id": OWNER}).status_code == 404
    )


def test_fail_marks_the_report_once(app_runtime: LocalRuntime) -> None:
    reports = stored_report(app_runtime)
    client = step_client(app_runtime)
    job = {"report_id": REPORT, "owner_id": OWNER, "error": "boom"}
    assert client.post("/fail", json=job).json["outcome"] == "failed"
    assert client.post("/fail", json=job).json["outcome"] == "failed"
    assert reports.require(REPORT)["error"] == "boom"
    usage = app_runtime.platform.documents.get("venture_usage", "2026-01-01")
    assert usage is not None and usage["failed"] == 1  # counted on the transition only
