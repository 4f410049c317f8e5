"""One vocabulary for people across venture and the knowledge graph: a team member is
`{name, role, skills}` in both the pitfalls and the blueprint, roles are the graph's ids
(`role:backend-developer`), and the roles venture staffs are in the graph's registry
with their sources. The former shapes and ids still work for one release."""

from __future__ import annotations

from typing import Any

import pytest

from shared.adapters.http.catalog import all_routes
from shared.api.openapi import build_openapi
from shared.knowledge.builder import GraphBuilder
from shared.knowledge.curated import curated_registry
from shared.knowledge.index import GraphIndex
from shared.ports.stack_advice import LEGACY_ROLE_IDS
from shared.venture.rates import ROLES
from tests.support.api import ApiClient

STACK = [{"id": "react", "version": "19"}, {"id": "postgresql", "version": "17"}]
TEAM = [
    {"name": "Ada", "role": "role:backend-developer", "skills": ["sql", "postgresql"]},
    {"name": "Grace", "role": "role:frontend-developer", "skills": ["react", "javascript"]},
]


@pytest.fixture(scope="module")
def graph() -> GraphIndex:
    builder = GraphBuilder()
    assert builder.add_registry(curated_registry()) == []
    return builder.build(0)


def test_every_role_venture_staffs_is_a_sourced_role_of_the_graph(graph: GraphIndex) -> None:
    for role in {*ROLES, *LEGACY_ROLE_IDS.values()}:
        match = graph.resolve(role, ("role",))
        assert match is not None, f"{role} is not in the graph's registry"
        info = graph.nodes[match.node]
        assert info.key == role and str(info.attrs["source"]).startswith("https://"), role
    # the two venture used that the graph lacked, found by the words people use
    for words, role in (("tech lead", "role:tech-lead"), ("designer", "role:product-designer")):
        match = graph.resolve(words, ("role",))
        assert match is not None and graph.nodes[match.node].key == role


def _findings(reply: Any) -> list[str]:
    return [f["title"] for f in reply.json["findings"]]


def test_one_team_member_shape_in_the_pitfalls_and_the_blueprint(api: ApiClient) -> None:
    alice = api.user("alice")
    pitfalls = alice.post("/v1/graph/pitfalls", json={"stack": STACK, "team": TEAM})
    assert pitfalls.status_code == 200, pitfalls.json
    blueprint = alice.post(
        "/v1/venture/mvp-blueprint", json={"product": "shop", "size_ksloc": 2, "team": TEAM}
    )
    assert blueprint.status_code == 200, blueprint.json
    # members are named by name in both answers
    assert "Only Ada knows SQL" in _findings(pitfalls)
    in_blueprint = [f["title"] for f in blueprint.json["stack_check"]["pitfalls"]["findings"]]
    assert "Only Ada knows SQL" in in_blueprint
    # the blueprint's own roles are the graph's ids
    cost = blueprint.json["cost"]
    assert set(cost["by_role_usd"]) <= set(ROLES) and set(cost["monthly_rates"]) == set(ROLES)
    for phase in blueprint.json["phases"]:
        assert set(phase["effort_by_role"]) <= set(ROLES)


def test_the_former_shapes_and_ids_are_still_read(api: ApiClient) -> None:
    alice = api.user("alice")
    # the pitfalls' former {name, skills}
    named = alice.post(
        "/v1/graph/pitfalls",
        json={"stack": STACK, "team": [{"name": "ann", "skills": ["react"]}, {"name": "bo"}]},
    )
    assert named.status_code == 200, named.json
    assert "Only ann knows React development" in _findings(named)
    # the blueprint's former {role, skills} with venture's former role ids
    legacy = alice.post(
        "/v1/venture/mvp-blueprint",
        json={
            "product": "shop",
            "size_ksloc": 2,
            "team": [
                {"role": "backend_engineer", "skills": ["sql"]},
                {"role": "designer", "skills": ["figma"]},
            ],
            "rates": {"backend_engineer": 12_345},
        },
    )
    assert legacy.status_code == 200, legacy.json
    findings = [f["title"] for f in legacy.json["stack_check"]["pitfalls"]["findings"]]
    assert "Only role:backend-developer knows SQL" in findings
    rate = legacy.json["cost"]["monthly_rates"]["role:backend-developer"]
    assert rate == {"monthly_usd": 12_345, "source": "your input"}
    unknown = alice.post(
        "/v1/venture/mvp-blueprint",
        json={"product": "shop", "size_ksloc": 2, "rates": {"astronaut": 1}},
    )
    assert unknown.status_code == 400
    assert unknown.json["errors"][0]["field"].startswith("rates")
    extra = alice.post(
        "/v1/graph/pitfalls", json={"stack": STACK, "team": [{"name": "x", "age": 40}]}
    )
    assert extra.status_code == 400 and extra.json["errors"][0]["field"] == "team.0.age"


def test_the_reference_documents_the_shape_and_the_deprecation() -> None:
    spec = build_openapi(all_routes(), version="test", server="http://localhost")
    member = spec["components"]["schemas"]["TeamMember"]
    assert set(member["properties"]) == {"name", "role", "skills"}
    role = member["properties"]["role"]
    assert "role:backend-developer" in role["description"]
    assert "Deprecated" in role["description"] and "backend_engineer" in role["description"]
