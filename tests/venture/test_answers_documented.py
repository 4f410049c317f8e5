"""Every venture answer is what /openapi.json says it is: the real JSON of each
endpoint validates against its documented schema, with no key the reference leaves
out, and the keys that were absent rather than null before the answers were typed
are still absent."""

from __future__ import annotations

from shared.ports.workflows import ExecutionState
from shared.runtime.local import LocalRuntime
from tests.support.api import ApiClient
from tests.support.documented import documented_problems
from tests.venture.conftest import BLUEPRINT, COMPETITION, MARKET, report_body
from tests.venture.test_api import CSV


def test_each_analysis_answers_exactly_its_documented_shape(api: ApiClient) -> None:
    alice = api.user("alice")
    calls = {
        "/v1/venture/market-analysis": MARKET,
        "/v1/venture/competitive-landscape": COMPETITION,
        "/v1/venture/mvp-blueprint": {**BLUEPRINT, "size_ksloc": 12},
        "/v1/venture/resource-plan": {**BLUEPRINT, "funding_usd": 500_000},
    }
    for path, body in calls.items():
        response = alice.post(path, json=body)
        assert response.status_code == 200, response.json
        assert documented_problems("POST", path, 200, response.json) == [], path

    market = alice.post("/v1/venture/market-analysis", json={**MARKET, "base_year": 2026}).json
    # the check itself: an undocumented key, a wrong type, a missing field all fail it
    path = "/v1/venture/market-analysis"
    assert documented_problems("POST", path, 200, {**market, "surprise": 1})
    assert documented_problems("POST", path, 200, {**market, "tam": "big"})
    assert documented_problems("POST", path, 200, {k: v for k, v in market.items() if k != "som"})
    # the scenario's SOM at the horizon keeps its year in the key
    assert {"som_in_2031"} <= market["sensitivity"]["high"].keys()
    blueprint = alice.post("/v1/venture/mvp-blueprint", json={**BLUEPRINT, "size_ksloc": 12}).json
    # given in KSLOC: nothing was counted, so the counting keys are absent, not null
    assert blueprint["size"] == {"ksloc": 12, "basis": "given in KSLOC"}
    # a default version has no support policy to cite: the key is absent
    defaults = [s for s in blueprint["stack"] if s["version_from"] == "default"]
    assert defaults and all("version_source" not in s for s in defaults)
    # the graph answered: its payload passes through, and there is no `reason` key
    compatibility = blueprint["stack_check"]["compatibility"]
    assert compatibility["available"] is True and "reason" not in compatibility
    assert 0 <= compatibility["score"] <= 100
    guidelines = alice.post("/v1/venture/competitive-landscape", json=COMPETITION).json[
        "guidelines"
    ]
    assert set(guidelines) == {"2023", "2010", "note"}


def test_a_report_and_the_usage_answer_their_documented_shapes(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    alice = api.user("alice")
    started = alice.post("/v1/venture/reports", json=report_body())
    assert documented_problems("POST", "/v1/venture/reports", 202, started.json) == []
    report_id = started.json["id"]
    assert started.json["links"]["self"] == f"/v1/venture/reports/{report_id}"
    path = "/v1/venture/reports/{report_id}"
    assert app_runtime.workflows is not None
    status = app_runtime.workflows.wait(f"venture-report-{report_id}", timeout=30)
    assert status.state is ExecutionState.SUCCEEDED
    view = alice.get(f"/v1/venture/reports/{report_id}").json
    assert documented_problems("GET", path, 200, view) == []
    # completed: no error and no execution to show, and both keys are absent
    assert "error" not in view and "execution" not in view
    assert view["report"]["summary"]["source"] == "template"
    assert "provider" not in view["report"]["summary"]  # LLM-only keys: absent for a template

    queued = alice.post("/v1/venture/reports", json=report_body(title="second")).json
    pending = alice.get(f"/v1/venture/reports/{queued['id']}").json
    assert documented_problems("GET", path, 200, pending) == []

    upload = {"name": "farms", "format": "csv", "content": CSV}
    created = alice.post("/v1/venture/datasets", json=upload)
    assert created.status_code == 201, created.json
    assert documented_problems("POST", "/v1/venture/datasets", 201, created.json) == []
    assert created.json["sectors"] == ["vertical-farming"]

    app_runtime.dispatcher.drain()
    usage = api.user("root", admin=True).get("/v1/venture/usage?days=3").json
    assert documented_problems("GET", "/v1/venture/usage", 200, usage) == []
    assert usage["days"][-1]["completed"] >= 1
