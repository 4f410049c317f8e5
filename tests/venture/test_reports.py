"""The full report: POST starts the venture-report workflow (the real YAML, executed
by workflows-emulator), its steps call the venture-step function, the report is
stored, completion is published and counted; failures and retries; tenant isolation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from shared.ports.stack_advice import Advice, RecommendedVersion, StackItem, TeamMember
from shared.ports.workflows import ExecutionState
from shared.runtime.local import LocalRuntime
from tests.support.api import ApiClient
from tests.venture.conftest import report_body


def run(app_runtime: LocalRuntime, report_id: str) -> ExecutionState:
    assert app_runtime.workflows is not None
    status = app_runtime.workflows.wait(f"venture-report-{report_id}", timeout=30)
    return status.state


def step_calls(app_runtime: LocalRuntime, report_id: str) -> list[str]:
    assert app_runtime.workflows is not None
    steps = app_runtime.workflows.steps(f"venture-report-{report_id}")
    return [s["step"] for s in steps if s["kind"] == "call" and s["step"] != "post"]


def test_a_report_runs_through_the_workflow_and_is_published(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    alice = api.user("alice")
    started = alice.post("/v1/venture/reports", json=report_body())
    assert started.status_code == 202, started.json
    report_id = started.json["id"]
    assert started.headers["Location"] == f"/v1/venture/reports/{report_id}"
    assert run(app_runtime, report_id) is ExecutionState.SUCCEEDED
    assert step_calls(app_runtime, report_id)[:6] == [
        "market",
        "competition",
        "blueprint",
        "resources",
        "assemble",
        "complete",
    ]

    view = alice.get(f"/v1/venture/reports/{report_id}").json
    assert view["status"] == "completed" and view["completed_at"]
    report = view["report"]
    assert report["market"]["tam"] >= report["market"]["sam"] >= report["market"]["som"] > 0
    assert report["competition"]["hhi"] == 2025
    assert report["blueprint"]["effort_person_months"] > 0
    assert report["resources"]["funding_usd"] == 2_000_000
    assert report["summary"]["source"] == "template"
    assert "Acme forecasting" in report["summary"]["text"]
    assert any("Gartner" in s for s in report["sources"])

    assert alice.get("/v1/venture/usage").status_code == 403  # operators only
    # completion was published; the usage recorder counts it once
    app_runtime.dispatcher.drain()
    usage = api.user("root", admin=True).get("/v1/venture/usage?days=1").json
    assert (usage["completed"], usage["failed"], usage["completion_rate"]) == (1, 0, 1.0)


def test_the_report_reads_as_html_with_charts(api: ApiClient, app_runtime: LocalRuntime) -> None:
    alice = api.user("alice")
    report_id = alice.post(
        "/v1/venture/reports", json=report_body(title="<script>x</script>")
    ).json["id"]
    assert run(app_runtime, report_id) is ExecutionState.SUCCEEDED
    for page in (
        alice.get(f"/v1/venture/reports/{report_id}?format=html"),
        alice.get(f"/v1/venture/reports/{report_id}", headers={"Accept": "text/html"}),
    ):
        assert page.status_code == 200 and page.content_type.startswith("text/html")
        html = page.get_data(as_text=True)
        assert html.count("<svg") >= 5  # market, projection, positioning, phases, cash
        assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script" not in html  # nor in a chart
        assert "Herfindahl" in html or "HHI" in html


def test_a_replayed_request_with_the_same_idempotency_key_starts_one_report(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    alice = api.user("alice")
    headers = {"Idempotency-Key": "acme-1"}
    first = alice.post("/v1/venture/reports", json=report_body(), headers=headers)
    second = alice.post("/v1/venture/reports", json=report_body(), headers=headers)
    assert first.status_code == second.status_code == 202
    assert first.json["id"] == second.json["id"]
    assert run(app_runtime, first.json["id"]) is ExecutionState.SUCCEEDED
    assert len(alice.get("/v1/venture/reports").json["reports"]) == 1
    reused = alice.post("/v1/venture/reports", json=report_body(title="other"), headers=headers)
    assert reused.status_code == 409


def test_another_users_report_is_not_found(api: ApiClient, app_runtime: LocalRuntime) -> None:
    alice, bob = api.user("alice"), api.user("bob")
    report_id = alice.post("/v1/venture/reports", json=report_body()).json["id"]
    assert run(app_runtime, report_id) is ExecutionState.SUCCEEDED
    assert bob.get(f"/v1/venture/reports/{report_id}").status_code == 404
    assert bob.get(f"/v1/venture/reports/{report_id}?format=html").status_code == 404
    assert bob.get("/v1/venture/reports").json["reports"] == []
    assert alice.get(f"/v1/venture/reports/{report_id}").status_code == 200
    assert api.anonymous().get(f"/v1/venture/reports/{report_id}").status_code == 401


def test_invalid_reports_are_refused_before_any_workflow_starts(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    alice = api.user("alice")
    bad_region = report_body(market={**report_body()["market"], "sector": "us-pet"})
    response = alice.post("/v1/venture/reports", json=bad_region)
    assert response.status_code == 400
    assert [e["field"] for e in response.json["errors"]] == ["market.region"]
    nested = alice.post("/v1/venture/reports", json=report_body(funding_usd=-1))
    assert nested.status_code == 400 and nested.json["errors"][0]["field"] == "funding_usd"
    assert alice.get("/v1/venture/reports").json["reports"] == []


class FlakyAdvisor:
    """Fails `failures` times, then answers: a dependency that hiccups."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def recommended_versions(self, ids: Sequence[str]) -> dict[str, RecommendedVersion]:
        return {}

    def compatibility(self, stack: Sequence[StackItem]) -> Advice:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError("knowledge graph unreachable")
        return Advice(True, {"score": 77})

    def pitfalls(self, stack: Sequence[StackItem], team: Sequence[TeamMember]) -> Advice:
        return Advice(True, {"findings": []})

    def pathways(self, gaps: Sequence[str]) -> Advice:
        return Advice(True, {"plans": []})


@pytest.fixture
def flaky(app_runtime: LocalRuntime) -> Iterator[FlakyAdvisor]:
    advisor = FlakyAdvisor(failures=2)
    app_runtime.features.provide(stack_advisor=advisor)
    yield advisor


def test_a_step_that_fails_transiently_is_retried(
    api: ApiClient, app_runtime: LocalRuntime, flaky: FlakyAdvisor
) -> None:
    alice = api.user("alice")
    report_id = alice.post("/v1/venture/reports", json=report_body()).json["id"]
    assert run(app_runtime, report_id) is ExecutionState.SUCCEEDED
    assert flaky.calls == 3  # two 500s from the blueprint step, then success
    assert step_calls(app_runtime, report_id).count("blueprint") == 1  # one step, retried inside
    report = alice.get(f"/v1/venture/reports/{report_id}").json["report"]
    assert report["blueprint"]["stack_check"]["compatibility"] == {"available": True, "score": 77}


def test_a_step_that_keeps_failing_marks_the_report_failed(
    api: ApiClient, app_runtime: LocalRuntime, flaky: FlakyAdvisor
) -> None:
    flaky.failures = 100
    alice = api.user("alice")
    report_id = alice.post("/v1/venture/reports", json=report_body()).json["id"]
    assert run(app_runtime, report_id) is ExecutionState.FAILED
    assert flaky.calls == 6  # the first try and five retries
    view = alice.get(f"/v1/venture/reports/{report_id}").json
    assert view["status"] == "failed" and "500" in view["error"]
    assert view["steps_done"] == ["market", "competition"]
    assert view["execution"]["state"] == "FAILED"
    usage = api.user("root", admin=True).get("/v1/venture/usage?days=1").json
    assert (usage["completed"], usage["failed"]) == (0, 1)
