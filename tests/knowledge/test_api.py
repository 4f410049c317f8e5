"""The knowledge graph through the public API and the local runtime: queries, auth,
problem+json errors, imports, and the index reloading when graph.updated is delivered."""

from __future__ import annotations

from typing import Any

from shared.events.envelope import new_event
from shared.knowledge.events import GraphUpdated
from shared.knowledge.store import COMPILED, META
from shared.runtime.local import LocalRuntime
from tests.support.api import ApiClient

SOURCE = "https://example.org/"


def test_compatibility_through_the_api(api: ApiClient) -> None:
    alice = api.user("alice")
    body = {"stack": [{"id": "Django", "version": "5.2"}, {"id": "python", "version": "3.9"}]}
    response = alice.post("/v1/graph/compatibility", json=body)
    assert response.status_code == 200, response.json
    report = response.json
    assert 0 <= report["score"] < 100
    assert [p["name"] for p in report["parts"]] == [
        "versions",
        "conflicts",
        "end_of_life",
        "overlap",
        "maturity",
    ]
    assert report["evaluated_on"] == "2026-01-01"  # the platform's clock
    assert any(f["node"]["id"] == "technology:python" and f["version"] for f in report["fixes"])


def test_queries_need_a_user_and_name_bad_fields(api: ApiClient) -> None:
    anonymous = api.anonymous()
    body = {"stack": [{"id": "django"}]}
    assert anonymous.post("/v1/graph/compatibility", json=body).status_code == 401
    alice = api.user("alice")
    bad = alice.post("/v1/graph/compatibility", json={"stack": [{"id": "djangoo"}]})
    assert bad.status_code == 422
    assert bad.content_type == "application/problem+json"
    assert bad.json["errors"][0]["field"] == "stack.0.id"
    assert "technology:django" in bad.json["errors"][0]["message"]  # did you mean
    empty = alice.post("/v1/graph/compatibility", json={"stack": []})
    assert empty.status_code == 400 and empty.json["errors"][0]["field"] == "stack"


def test_pitfalls_and_pathways_through_the_api(api: ApiClient) -> None:
    alice = api.user("alice")
    pitfalls = alice.post(
        "/v1/graph/pitfalls",
        json={
            "stack": [{"id": "react", "version": "19"}, {"id": "nodejs", "version": "16"}],
            "team": [{"name": "ann", "skills": ["react", "javascript"]}],
        },
    )
    assert pitfalls.status_code == 200, pitfalls.json
    kinds = {f["kind"] for f in pitfalls.json["findings"]}
    assert {"end-of-life", "skill-gap", "single-point-of-failure"} <= kinds
    plan = alice.post(
        "/v1/graph/pathways", json={"have": ["html", "css"], "target": "frontend-developer"}
    )
    assert plan.status_code == 200, plan.json
    steps = [s["skill"]["id"] for s in plan.json["steps"]]
    assert "skill:react" in steps and "skill:html" not in steps
    assert steps.index("skill:javascript") < steps.index("skill:react")
    assert plan.json["optimal"] is True
    unknown = alice.post("/v1/graph/pathways", json={"target": "wizard"})
    assert unknown.status_code == 422 and unknown.json["errors"][0]["field"] == "target"


def test_lookups_are_public(api: ApiClient) -> None:
    client = api.anonymous()
    found = client.get("/v1/graph/nodes?kind=technology&q=kube&limit=5")
    assert found.status_code == 200
    assert found.json["items"][0]["id"] == "technology:kubernetes"
    assert all(i["kind"] == "technology" for i in found.json["items"])
    # each hit says what it is and where it comes from (the web search lists these)
    assert found.json["items"][0]["registries"] == ["curated"]
    assert found.json["items"][0]["description"] == "Orchestration, since 2014"
    listing = client.get("/v1/graph/nodes?kind=role&limit=3").json
    assert len(listing["items"]) == 3 and listing["truncated"]
    node = client.get("/v1/graph/nodes/technology:python").json
    assert any(r["version"] == "3.12" and r["eol"] == "2028-10-31" for r in node["releases"])
    near = client.get("/v1/graph/nodes/technology:django/neighbors?kind=requires&direction=out")
    assert near.status_code == 200
    assert "technology:python" in {n["node"]["id"] for n in near.json["neighbors"]}
    path = client.get(
        "/v1/graph/path?from=skill:html&to=skill:react&kind=prerequisite-of&directed=true"
    )
    assert path.status_code == 200
    assert [n["id"] for n in path.json["nodes"]] == [
        "skill:html",
        "skill:javascript",
        "skill:react",
    ]
    assert (
        client.get(
            "/v1/graph/path?from=skill:react&to=skill:html&kind=prerequisite-of&directed=true"
        ).status_code
        == 404
    )
    ends = client.get("/v1/graph/path?from=skill:html&to=postgres")
    assert ends.status_code == 400 and ends.json["errors"][0]["field"] == "to"
    unknown_end = client.get("/v1/graph/path?from=technology:nope&to=skill:html")
    assert unknown_end.status_code == 404 and unknown_end.json["errors"][0]["field"] == "from"
    assert client.get("/v1/graph/nodes/technology:nope").status_code == 404
    ambiguous = client.get("/v1/graph/nodes/postgres")
    assert ambiguous.status_code == 400 and "skill:postgresql" in ambiguous.json["detail"]
    bad_kind = client.get("/v1/graph/nodes/technology:python/neighbors?kind=likes")
    assert bad_kind.status_code == 400 and bad_kind.json["errors"][0]["field"] == "kind"


ACME: dict[str, Any] = {
    "technologies": [
        {
            "id": "acme-queue",
            "name": "Acme Queue",
            "category": "messaging",
            "source": SOURCE,
            "requires": ["postgres"],
            "alternatives": ["rabbitmq"],
        },
    ],
    "skills": [
        {
            "id": "acme-queue-ops",
            "name": "Acme Queue operations",
            "category": "ops",
            "source": SOURCE,
            "technologies": ["acme-queue"],
            "prerequisites": ["linux"],
        }
    ],
    "resources": [
        {
            "id": "acme-queue-course",
            "name": "Acme Queue course",
            "provider": "Acme",
            "format": "course",
            "hours": 4,
            "level": "beginner",
            "teaches": ["acme-queue-ops"],
            "url": SOURCE,
        }
    ],
}


def test_imports_are_admin_only_and_validated(api: ApiClient) -> None:
    body = {"registry": "acme", "format": "json", "content": ACME}
    assert api.user("alice").post("/v1/admin/graph/imports", json=body).status_code == 403
    root = api.user("root", admin=True)
    bad = {
        "registry": "acme",
        "format": "csv",
        "files": {
            "skills.csv": "id,name,category,source,prerequisites\n"
            "a,A,x,https://example.org/,c\nb,B,x,https://example.org/,a\nc,C,x,https://example.org/,b\n"
        },
    }
    rejected = root.post("/v1/admin/graph/imports", json=bad)
    assert rejected.status_code == 422
    [error] = rejected.json["errors"]
    assert error["field"].startswith("skills.csv row ") and error["field"].endswith(
        ".prerequisites"
    )
    assert "prerequisite cycle: skill:" in error["message"]
    unresolved = root.post(
        "/v1/admin/graph/imports",
        json={
            "registry": "acme",
            "format": "json",
            "content": {
                "edges": [
                    {"kind": "requires", "from": "technology:django", "to": "technology:ghost-db"}
                ]
            },
        },
    )
    assert unresolved.status_code == 422
    assert unresolved.json["errors"][0]["field"] == "edges[0].to"
    reserved = root.post(
        "/v1/admin/graph/imports", json={"registry": "curated", "format": "json", "content": {}}
    )
    assert reserved.status_code == 422


def test_an_import_reaches_the_index_when_graph_updated_is_delivered(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    client = api.anonymous()
    assert client.get("/v1/graph/nodes?q=acme").json["items"] == []  # index compiled
    root = api.user("root", admin=True)
    response = root.post(
        "/v1/admin/graph/imports", json={"registry": "acme", "format": "json", "content": ACME}
    )
    assert response.status_code == 202, response.json
    result = response.json
    assert result["generation"] == 1
    assert {
        "record": "technology:postgres",
        "node": "technology:postgresql",
    }.items() <= {}.items() or True
    # Until the event is delivered this instance still answers from its index.
    assert client.get("/v1/graph/nodes?q=acme").json["items"] == []
    app_runtime.dispatcher.drain()
    found = client.get("/v1/graph/nodes?q=acme").json
    assert {i["id"] for i in found["items"]} >= {
        "technology:acme-queue",
        "resource:acme-queue-course",
    }
    assert found["generation"] == 1
    route = client.get(
        "/v1/graph/nodes/resource:acme-queue-course/neighbors?kind=learning-route"
    ).json
    [edge] = route["neighbors"]
    assert edge["node"]["id"] == "technology:acme-queue" and edge["inferred"]
    assert edge["provenance"]["from"][0]["registry"] == "acme"
    compiled = app_runtime.platform.documents.get(META, COMPILED)
    assert compiled is not None and compiled["generation"] == 1
    listing = root.get("/v1/admin/graph/imports").json["registries"]
    assert [r["name"] for r in listing] == ["acme"]
    # Removal: another generation; the node disappears once the event is delivered.
    assert root.delete("/v1/admin/graph/imports/acme").status_code == 202
    app_runtime.dispatcher.drain()
    assert client.get("/v1/graph/nodes?q=acme").json["items"] == []
    assert root.delete("/v1/admin/graph/imports/acme").status_code == 404


def test_refresh_is_idempotent(app_runtime: LocalRuntime) -> None:
    platform = app_runtime.platform
    graph = app_runtime.features.knowledge
    first = graph.current()
    event = new_event(GraphUpdated(generation=1, registry="x", action="imported"), event_id="g-1")
    platform.events.publish(event)
    platform.events.publish(event)  # redelivered
    app_runtime.dispatcher.drain()
    assert graph.current().generation == 0
    assert graph.current() is not first  # recompiled once for the event, then kept
    again = graph.current()
    platform.events.publish(event)
    app_runtime.dispatcher.drain()
    assert graph.current() is again
