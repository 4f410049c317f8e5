"""The venture blueprint's stack check, answered by the graph through its port."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from shared.adapters.local.clock import ManualClock
from shared.knowledge.advisor import GraphStackAdvisor
from shared.ports.stack_advice import StackAdvisor, StackItem, TeamMember
from shared.runtime.local import LocalRuntime
from shared.venture.blueprint import MvpBlueprintRequest, build_blueprint
from tests.support.api import ApiClient


@pytest.fixture
def advisor(app_runtime: LocalRuntime) -> Iterator[GraphStackAdvisor]:
    # the root plugs the process's graph into the venture blueprint's port
    built = app_runtime.features.stack_advisor
    assert isinstance(built, GraphStackAdvisor)
    yield built


def test_the_advisor_matches_the_port(advisor: GraphStackAdvisor) -> None:
    port: StackAdvisor = advisor  # mypy checks the Protocol; this checks it at run time
    stack = [
        StackItem("typescript", "5", "language", ("typescript",)),
        StackItem("nodejs", "20", "API runtime", ("nodejs",)),
        StackItem("postgresql", "16", "system of record", ("sql", "postgresql")),
        StackItem("cloud-run", "gen2", "serverless containers", ("docker", "gcp")),
        StackItem("quantum-db", "1", "made up", ()),
    ]
    compatibility = port.compatibility(stack).as_dict()
    assert compatibility["available"] is True
    assert 0 <= compatibility["score"] <= 100
    assert {p["name"] for p in compatibility["parts"]} == {
        "versions",
        "conflicts",
        "end_of_life",
        "overlap",
        "maturity",
    }
    assert [n["item"] for n in compatibility["not_assessed"]] == ["cloud-run", "quantum-db"]
    run = next(s for s in compatibility["stack"] if s["node"]["id"] == "technology:cloud-run")
    assert run["version"] is None and run["support"] == "unknown-version"
    pitfalls = port.pitfalls(
        stack, [TeamMember(role="dev", skills=("TypeScript", "nodejs"))]
    ).as_dict()
    assert pitfalls["available"] is True
    assert any(f["kind"] == "skill-gap" for f in pitfalls["findings"])
    pathways = port.pathways(["gcp", "postgresql", "no-such-skill"]).as_dict()
    [plan] = pathways["plans"]
    learnt = [s["skill"]["id"] for s in plan["steps"]]
    assert {"skill:gcp", "skill:postgresql"} <= set(learnt)
    assert learnt.index("skill:cloud-fundamentals") < learnt.index("skill:gcp")
    assert pathways["unknown_gaps"] == ["no-such-skill"]
    assert pathways["total_hours"] == plan["total_hours"] > 0


def test_the_blueprint_reports_the_graphs_answers(
    api: ApiClient, advisor: GraphStackAdvisor
) -> None:
    response = api.user("alice").post(
        "/v1/venture/mvp-blueprint",
        json={
            "product": {"name": "shop", "kind": "web", "realtime": True},
            "size_ksloc": 4,
            "team": [{"role": "dev", "skills": ["TypeScript", "nodejs", "react"]}],
        },
    )
    assert response.status_code == 200, response.json
    check = response.json["stack_check"]
    assert check["compatibility"]["available"] is True
    assert isinstance(check["compatibility"]["score"], int)
    assert check["pitfalls"]["available"] is True and check["pitfalls"]["findings"]
    assert check["pathways"]["available"] is True
    gaps = set(check["skill_gaps"])
    planned = {s["skill"]["id"].split(":")[1] for s in check["pathways"]["plans"][0]["steps"]}
    assert gaps <= planned | set(check["pathways"]["unknown_gaps"])


PRODUCTS = [
    {"name": "shop", "kind": "web", "realtime": True, "ai": True},
    {"name": "api", "kind": "api"},
    {"name": "app", "kind": "mobile", "realtime": True},
    {"name": "lake", "kind": "data", "ai": True},
]
# flagged kinds that say a version is wrong (a stack check's complaint about a pick)
VERSION_FINDINGS = {"end-of-life", "incompatible-version", "deprecated"}


@pytest.mark.parametrize("today", ["2026-01-01", "2026-12-06", "2028-03-01"])
def test_every_version_the_blueprint_recommends_passes_its_own_stack_check(
    advisor: GraphStackAdvisor, clock: ManualClock, today: str
) -> None:
    """Node 20 was recommended, then flagged end of life by the same blueprint: the
    versions now come from the lines the graph supports on the day."""
    clock.set(datetime.fromisoformat(today).replace(tzinfo=UTC))
    for product in PRODUCTS:
        request = MvpBlueprintRequest.model_validate({"product": product, "size_ksloc": 4})
        blueprint = build_blueprint(request, advisor).model_dump(mode="json")
        from_graph = [s for s in blueprint["stack"] if s["version_from"] == "knowledge-graph"]
        assert "postgresql" in {s["id"] for s in from_graph}
        checked = {
            entry["node"]["id"].split(":", 1)[1]: entry
            for entry in blueprint["stack_check"]["compatibility"]["stack"]
        }
        for item in from_graph:
            entry = checked[item["id"]]
            assert entry["version"] == item["version"] and entry["support"] == "supported", entry
            assert item["version_source"].startswith("https://")
        recommended = {f"technology:{s['id']}" for s in from_graph}
        flagged = [
            f
            for f in blueprint["stack_check"]["pitfalls"]["findings"]
            if f["kind"] in VERSION_FINDINGS and recommended & {n["id"] for n in f["nodes"]}
        ]
        assert flagged == [], (today, product["kind"], flagged)
        # past the dataset's horizon no Node line is supported: the blueprint says its
        # pick is a default, not the graph's recommendation
        node = next((s for s in blueprint["stack"] if s["id"] == "nodejs"), None)
        if node is not None and today == "2028-03-01":
            assert node["version_from"] == "default"


def test_the_blueprint_over_http_recommends_a_supported_node(
    api: ApiClient, clock: ManualClock
) -> None:
    alice = api.user("alice")
    clock.set(datetime(2026, 12, 6, tzinfo=UTC))  # Node 20's support ended on 2026-04-30
    alice.log_in_again()
    reply = alice.post("/v1/venture/mvp-blueprint", json={"product": "x", "size_ksloc": 1})
    assert reply.status_code == 200, reply.json
    node = next(s for s in reply.json["stack"] if s["id"] == "nodejs")
    assert node["version"] == "24" and "LTS" in node["version_basis"]
    assert not any(
        f["kind"] == "end-of-life" for f in reply.json["stack_check"]["pitfalls"]["findings"]
    )
