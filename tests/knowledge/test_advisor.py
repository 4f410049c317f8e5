"""The venture blueprint's stack check, answered by the graph through its port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.knowledge.advisor import GraphStackAdvisor
from shared.ports.stack_advice import StackAdvisor, StackItem, TeamMember
from shared.runtime.local import LocalRuntime
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
    pitfalls = port.pitfalls(stack, [TeamMember("dev", ("TypeScript", "nodejs"))]).as_dict()
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
